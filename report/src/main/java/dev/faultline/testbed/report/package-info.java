/**
 * A run's report: the series computed from its history (latency, quantiles and throughput per
 * window, fault windows, availability), the verdict in words, report.html and junit.xml.
 */
package dev.faultline.testbed.report;
