/**
 * Linearizability checking: {@link dev.faultline.checker.Checker} splits a history by key, runs the
 * Wing–Gong–Lowe search on each key against a {@link dev.faultline.checker.model.Model}, and
 * returns a {@link dev.faultline.checker.CheckResult} with a counterexample for every invalid key.
 * {@link dev.faultline.checker.ResultsJson} writes it as results.json; the {@code report} package
 * renders it as check.html.
 */
package dev.faultline.checker;
