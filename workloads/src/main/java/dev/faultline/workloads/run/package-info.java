/**
 * The shell that runs a workload: worker threads, one client process each, that draw ops from a
 * generator, execute them and record invocations and completions in the history.
 */
package dev.faultline.workloads.run;
