/** Evaluation against labels: point-wise and event-wise metrics, a NAB-style score, and the HTML report. */
package dev.vigil.model.eval;
