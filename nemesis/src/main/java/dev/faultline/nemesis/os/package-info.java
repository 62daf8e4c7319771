/** The thin shell around external programs: running them bounded, finding or installing them. */
package dev.faultline.nemesis.os;
