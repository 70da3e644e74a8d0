package dev.vigil.model.detect;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** What the neural detectors share: saving and loading networks, and turning reconstructions into scores. */
final class Networks {
    private Networks() {
    }

    /** Builds the training batch of the rows {@code order[from, to)}. */
    @FunctionalInterface
    interface Batches {
        org.nd4j.linalg.dataset.DataSet make(int[] order, int from, int to);
    }

    /** What early-stopped training ran. */
    record Trained(int epochs, double bestValidationLoss) {
    }

    /**
     * Mini-batch training with early stopping: each epoch shuffles the n rows with a seeded generator, fits the
     * batches, measures the validation loss, and stops after {@code patience} epochs without improvement; the
     * network is left with the parameters of its best epoch.
     */
    static Trained fitWithEarlyStopping(MultiLayerNetwork net, int n, int batchSize, int maxEpochs, int patience,
                                        long seed, Batches batches, java.util.function.DoubleSupplier validationLoss,
                                        TrainingListener listener) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        double best = Double.MAX_VALUE;
        org.nd4j.linalg.api.ndarray.INDArray bestParams = net.params().dup();
        int since = 0;
        int epochs = 0;
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double loss = 0;
            int count = 0;
            for (int from = 0; from < n; from += batchSize) {
                net.fit(batches.make(order, from, Math.min(n, from + batchSize)));
                loss += net.score();
                count++;
            }
            epochs = epoch;
            double v = validationLoss.getAsDouble();
            listener.epoch(epoch, maxEpochs, loss / Math.max(1, count), v);
            if (v < best - 1e-5 * Math.abs(best)) {
                best = v;
                bestParams = net.params().dup();
                since = 0;
            } else if (++since >= patience) {
                break;
            }
        }
        net.setParams(bestParams);
        return new Trained(epochs, best);
    }

    static byte[] save(MultiLayerNetwork net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, false);
        return bytes.toByteArray();
    }

    static MultiLayerNetwork load(byte[] model) throws IOException {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model), false);
    }

    /**
     * The score of one reconstruction: mean squared error over features divided by the training reference,
     * each feature's share of it, and the reconstruction itself.
     *
     * @param out network output, flat; feature j of this row is at {@code out[offset + j * stride]}
     */
    static Detector.Scored scored(double[] z, float[] out, int offset, int stride, double errorRef) {
        int d = z.length;
        double[] w = new double[d];
        double[] zhat = new double[d];
        double sum = 0;
        for (int j = 0; j < d; j++) {
            zhat[j] = out[offset + j * stride];
            double e = z[j] - zhat[j];
            w[j] = e * e;
            sum += w[j];
        }
        return new Detector.Scored(sum / d / errorRef, Detector.shares(w), zhat);
    }
}
