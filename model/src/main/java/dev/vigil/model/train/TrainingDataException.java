package dev.vigil.model.train;

import dev.vigil.model.data.DataQualityReport;
import dev.vigil.model.data.Finding;

import java.util.stream.Collectors;

/** Training refused because the data-quality report holds errors. */
public final class TrainingDataException extends IllegalArgumentException {
    private final transient DataQualityReport report;

    public TrainingDataException(DataQualityReport report) {
        super(report.errors().stream().map(Finding::line).collect(Collectors.joining("\n")));
        this.report = report;
    }

    public DataQualityReport report() {
        return report;
    }
}
