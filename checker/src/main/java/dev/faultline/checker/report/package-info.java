/**
 * The human view of a check: {@link dev.faultline.checker.report.CheckReportPage} renders
 * check.html, a self-contained page with the verdict, the counterexample and a timeline of the
 * history, and the same as an embeddable section for the run report.
 */
package dev.faultline.checker.report;
