/**
 * The {@code faultline} command and everything it runs: the test runner, history tools, the
 * checker's front end, reports, the web UI, benchmarks and the deterministic simulator. Every
 * executable thing in Faultline is a subcommand here, shipped in one jar.
 */
package dev.faultline.testbed;
