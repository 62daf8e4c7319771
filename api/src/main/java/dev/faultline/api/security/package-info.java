/**
 * What keeps a node's data safe from those who reach it: TLS material and its reloading ({@link
 * dev.faultline.api.security.TlsCredentials}), a throwaway CA for local clusters and tests ({@link
 * dev.faultline.api.security.ClusterPki}), bearer tokens and roles ({@link
 * dev.faultline.api.security.Authenticator}), the node-wide in-flight bound, and the start-up rules
 * that refuse plaintext or deliberate bugs on reachable addresses ({@link
 * dev.faultline.api.security.ExposurePolicy}). See docs/SECURITY.md.
 */
package dev.faultline.api.security;
