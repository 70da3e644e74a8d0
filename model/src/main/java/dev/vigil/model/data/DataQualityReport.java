package dev.vigil.model.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What the data-quality checks found before training; printed, stored in the bundle, and fatal when it
 * holds an error.
 *
 * @param inputs inputs checked
 * @param observations windows or rows available for fitting
 * @param findings errors and warnings, in the order found
 */
public record DataQualityReport(List<String> inputs, long observations, List<Finding> findings) {

    public DataQualityReport {
        inputs = List.copyOf(inputs);
        findings = List.copyOf(findings);
    }

    public List<Finding> errors() {
        return findings.stream().filter(Finding::isError).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> !f.isError()).toList();
    }

    public boolean ok() {
        return errors().isEmpty();
    }

    /** Mutable collector used while reading. */
    public static final class Builder {
        private final List<String> inputs = new ArrayList<>();
        private final List<Finding> findings = new ArrayList<>();
        private long observations;

        public Builder input(String name) {
            inputs.add(name);
            return this;
        }

        public Builder error(String file, String column, String rows, String problem) {
            findings.add(new Finding(Finding.ERROR, file, column, rows, problem));
            return this;
        }

        public Builder warning(String file, String column, String rows, String problem) {
            findings.add(new Finding(Finding.WARNING, file, column, rows, problem));
            return this;
        }

        public Builder observations(long n) {
            observations += n;
            return this;
        }

        public DataQualityReport build() {
            return new DataQualityReport(inputs, observations, findings);
        }
    }
}
