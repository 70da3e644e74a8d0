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
