/** {@code faultline serve}: a web UI listing a store's runs and serving their reports and files. */
package dev.faultline.testbed.serve;
