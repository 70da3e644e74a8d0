package dev.vigil.model.detect;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense autoencoder on standardised residuals, conditioned on the operating context: input [z, context],
 * output z through a narrow bottleneck. Score = mean squared reconstruction error over features divided by
 * its mean on training data (about 1 when healthy); a feature's contribution is its share of the squared error.
 * Early stopping on a held-out healthy split restores the best epoch. DL4J networks are not thread-safe:
 * {@link #copy()} gives each scoring thread its own.
 */
public final class AutoencoderDetector implements Detector {

    private final MultiLayerNetwork net;
    private final int features;
    private final int contextWidth;
    private final double errorRef;
    private final Map<String, Object> hyper;

    private AutoencoderDetector(MultiLayerNetwork net, int features, int contextWidth, double errorRef,
                                Map<String, Object> hyper) {
        this.net = net;
        this.features = features;
        this.contextWidth = contextWidth;
        this.errorRef = errorRef;
        this.hyper = hyper;
    }

    /** Training settings, with defaults sized from the data. */
    public record Settings(int hidden, int bottleneck, double learningRate, int batchSize, int maxEpochs, int patience,
                           double l2) {
        public static Settings forData(int features, int contextWidth, int rows) {
            int hidden = Math.max(8, Math.min(128, (features + contextWidth) / 2));
            int bottleneck = Math.max(3, Math.min(24, features / 5));
            int batch = rows < 2_000 ? 32 : rows < 50_000 ? 64 : 256;
            // fewer passes over big data sets: about the same number of updates whatever the size
            int epochs = (int) Math.max(30, Math.min(300, 150_000L * batch / Math.max(1, rows) / 32));
            return new Settings(hidden, bottleneck, 1e-3, batch, epochs, 12, 1e-5);
        }
    }

    public static AutoencoderDetector fit(List<double[]> z, List<double[]> context, List<double[]> zValidation,
                                          List<double[]> contextValidation, Settings s, long seed, TrainingListener listener) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(seed);
        int d = z.get(0).length;
        int c = context.isEmpty() ? 0 : context.get(0).length;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(s.learningRate()))
                .l2(s.l2())
                .list()
                .layer(new DenseLayer.Builder().nIn(d + c).nOut(s.hidden()).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(s.hidden()).nOut(s.bottleneck()).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(s.bottleneck()).nOut(s.hidden()).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(s.hidden()).nOut(d)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray valX = inputs(zValidation, contextValidation, d, c);
        INDArray valY = matrix(zValidation, d);
        Networks.Trained trained = Networks.fitWithEarlyStopping(net, z.size(), s.batchSize(), s.maxEpochs(),
                s.patience(), seed, (order, from, to) -> {
                    double[][] bx = new double[to - from][];
                    double[][] by = new double[to - from][];
                    for (int i = from; i < to; i++) {
                        bx[i - from] = concat(z.get(order[i]), c == 0 ? null : context.get(order[i]));
                        by[i - from] = z.get(order[i]);
                    }
                    return new DataSet(Nd4j.create(bx).castTo(DataType.FLOAT), Nd4j.create(by).castTo(DataType.FLOAT));
                }, () -> mse(net.output(valX, false), valY), listener);
        INDArray trainX = inputs(z, context, d, c);
        double ref = meanError(net.output(trainX, false), matrix(z, d));
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("layers", List.of(d + c, s.hidden(), s.bottleneck(), s.hidden(), d));
        hyper.put("activation", "tanh");
        hyper.put("learningRate", s.learningRate());
        hyper.put("batchSize", s.batchSize());
        hyper.put("maxEpochs", s.maxEpochs());
        hyper.put("epochsRun", trained.epochs());
        hyper.put("patience", s.patience());
        hyper.put("l2", s.l2());
        hyper.put("bestValidationLoss", trained.bestValidationLoss());
        return new AutoencoderDetector(net, d, c, Math.max(ref, 1e-9), hyper);
    }

    private static double[] concat(double[] a, double[] b) {
        if (b == null || b.length == 0) {
            return a;
        }
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static INDArray inputs(List<double[]> z, List<double[]> ctx, int d, int c) {
        double[][] x = new double[z.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = concat(z.get(i), c == 0 ? null : ctx.get(i));
        }
        return x.length == 0 ? Nd4j.zeros(DataType.FLOAT, 0, d + c) : Nd4j.create(x).castTo(DataType.FLOAT);
    }

    private static INDArray matrix(List<double[]> rows, int d) {
        return rows.isEmpty() ? Nd4j.zeros(DataType.FLOAT, 0, d) : Nd4j.create(rows.toArray(double[][]::new)).castTo(DataType.FLOAT);
    }

    private static double mse(INDArray out, INDArray target) {
        return target.rows() == 0 ? 0 : meanError(out, target);
    }

    private static double meanError(INDArray out, INDArray target) {
        return Math.pow(out.sub(target).norm2Number().doubleValue(), 2) / Math.max(1, target.length());
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.AUTOENCODER;
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return hyper;
    }

    public int contextWidth() {
        return contextWidth;
    }

    @Override
    public Scored[] score(double[][] z, double[][] context) {
        int n = z.length;
        if (n == 0) {
            return new Scored[0];
        }
        // one flat float buffer and one call: DL4J's cost is per call, not per row
        int width = features + contextWidth;
        float[] flat = new float[n * width];
        for (int r = 0; r < n; r++) {
            int at = r * width;
            for (int j = 0; j < features; j++) {
                flat[at + j] = (float) z[r][j];
            }
            for (int j = 0; j < contextWidth; j++) {
                flat[at + features + j] = (float) context[r][j];
            }
        }
        INDArray out = net.output(Nd4j.create(flat, new long[]{n, width}, 'c'), false);
        float[] zhat = (out.ordering() == 'c' ? out : out.dup('c')).data().asFloat();
        Scored[] result = new Scored[n];
        for (int r = 0; r < n; r++) {
            result[r] = Networks.scored(z[r], zhat, r * features, 1, errorRef);
        }
        return result;
    }

    /** An independent copy for another scoring thread. */
    public AutoencoderDetector copy() {
        return new AutoencoderDetector(net.clone(), features, contextWidth, errorRef, hyper);
    }

    public double errorRef() {
        return errorRef;
    }

    public int features() {
        return features;
    }

    public byte[] save() throws IOException {
        return Networks.save(net);
    }

    public static AutoencoderDetector load(byte[] model, int features, int contextWidth, double errorRef,
                                           Map<String, Object> hyper) throws IOException {
        return new AutoencoderDetector(Networks.load(model), features, contextWidth, errorRef, hyper);
    }
}
