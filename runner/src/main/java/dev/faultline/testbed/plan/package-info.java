/**
 * Fault planning, as data: which faults a run may inject ({@link
 * dev.faultline.testbed.plan.FaultKind}), when each window opens and closes ({@link
 * dev.faultline.testbed.plan.FaultSchedule}, {@link dev.faultline.testbed.plan.PlannedWindow}), and
 * what each window does to which nodes or links ({@link dev.faultline.testbed.plan.FaultPlanner},
 * {@link dev.faultline.testbed.plan.PlannedFault}). Pure: no I/O, no threads, no clock; every
 * choice comes from a random source it is given. The fault driver of the runner carries a plan out;
 * the windows a report finds in a history are observed ones ({@code report.FaultWindow}).
 */
package dev.faultline.testbed.plan;
