/**
 * The run's private network (a user+net namespace, a bridge and a namespace per node) and
 * partitions by grudge as iptables DROP rules inside the nodes' namespaces.
 */
package dev.faultline.nemesis.net;
