/** Reading training and scoring inputs (recordings and tabular CSVs) into observations, and data-quality checks. */
package dev.vigil.model.data;
