/**
 * Sequential specifications the checker linearizes against: the {@link
 * dev.faultline.checker.model.Model} interface, the built-in register, cas-register, kv and set
 * models, and {@link dev.faultline.checker.model.Models}, which names them and picks one for {@code
 * --model auto}.
 */
package dev.faultline.checker.model;
