/** Node processes on this machine: start, stop, kill, pause, resume, restart, logs, leader. */
package dev.faultline.nemesis.cluster;
