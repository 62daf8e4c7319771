/** Pure choices of fault targets, and the disk and clock faults applied to one node. */
package dev.faultline.nemesis.faults;
