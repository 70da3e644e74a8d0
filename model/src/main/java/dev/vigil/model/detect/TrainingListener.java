package dev.vigil.model.detect;

/** Receives training progress (for progress bars); called on the training thread. */
public interface TrainingListener {
    TrainingListener NONE = (epoch, maxEpochs, trainLoss, validationLoss) -> { };

    void epoch(int epoch, int maxEpochs, double trainLoss, double validationLoss);
}
