package dev.vigil.model.detect;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
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
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LSTM sequence autoencoder for tabular and low-rate streams: it reads the last L observations ([z, context]
 * per step) and reconstructs z at every step through a small recurrent state; the score of an observation is
 * the reconstruction error of the last step, so slow drifts and broken temporal patterns count, not only odd
 * single rows. The detector is stateful: it remembers the previous L-1 observations of its stream, so use one
 * instance ({@link #copy()}) per stream and feed observations in time order.
 */
public final class SequenceAutoencoderDetector implements Detector {

    private final MultiLayerNetwork net;
    private final int features;
    private final int contextWidth;
    private final int length;
    private final double errorRef;
    private final Map<String, Object> hyper;
    private final ArrayDeque<float[]> history = new ArrayDeque<>();

    private SequenceAutoencoderDetector(MultiLayerNetwork net, int features, int contextWidth, int length, double errorRef,
                                        Map<String, Object> hyper) {
        this.net = net;
        this.features = features;
        this.contextWidth = contextWidth;
        this.length = length;
        this.errorRef = errorRef;
        this.hyper = hyper;
    }

    /** Training settings. */
    public record Settings(int length, int hidden, double learningRate, int batchSize, int maxEpochs, int patience) {
        public static Settings forData(int features, int length, int rows) {
            int hidden = Math.max(4, Math.min(32, features / 3));
            int epochs = (int) Math.max(20, Math.min(150, 60_000L / Math.max(1, rows)));
            return new Settings(length, hidden, 2e-3, rows < 5_000 ? 32 : 128, epochs, 8);
        }
    }

    private static float[] step(double[] z, double[] ctx) {
        float[] s = new float[z.length + (ctx == null ? 0 : ctx.length)];
        for (int j = 0; j < z.length; j++) {
            s[j] = (float) z[j];
        }
        for (int j = 0; ctx != null && j < ctx.length; j++) {
            s[z.length + j] = (float) ctx[j];
        }
        return s;
    }

    /** [n, width, length] input and [n, features, length] target from sequences of steps. */
    private static INDArray[] tensors(List<float[][]> sequences, int width, int features, int length) {
        int n = sequences.size();
        float[] x = new float[n * width * length];
        float[] y = new float[n * features * length];
        for (int i = 0; i < n; i++) {
            float[][] seq = sequences.get(i);
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < width; j++) {
                    x[(i * width + j) * length + t] = seq[t][j];
                }
                for (int j = 0; j < features; j++) {
                    y[(i * features + j) * length + t] = seq[t][j];
                }
            }
        }
        return new INDArray[]{Nd4j.create(x, new long[]{n, width, length}, 'c'),
                Nd4j.create(y, new long[]{n, features, length}, 'c')};
    }

    private static List<float[][]> sequences(List<double[]> z, List<double[]> ctx, int length) {
        List<float[][]> out = new java.util.ArrayList<>();
        for (int end = length - 1; end < z.size(); end++) {
            float[][] seq = new float[length][];
            for (int t = 0; t < length; t++) {
                int i = end - length + 1 + t;
                seq[t] = step(z.get(i), ctx.isEmpty() ? null : ctx.get(i));
            }
            out.add(seq);
        }
        return out;
    }

    public static SequenceAutoencoderDetector fit(List<double[]> z, List<double[]> context, List<double[]> zValidation,
                                                  List<double[]> contextValidation, Settings s, long seed,
                                                  TrainingListener listener) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(seed);
        int d = z.get(0).length;
        int c = context.isEmpty() ? 0 : context.get(0).length;
        int width = d + c;
        int length = Math.max(2, Math.min(s.length(), z.size() / 4));
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(s.learningRate()))
                .list()
                .layer(new LSTM.Builder().nIn(width).nOut(s.hidden()).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(s.hidden()).nOut(d)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<float[][]> train = sequences(z, context, length);
        List<float[][]> val = sequences(zValidation, contextValidation, length);
        if (val.isEmpty()) {
            val = train.subList(0, Math.min(train.size(), 64));
        }
        INDArray[] valT = tensors(val, width, d, length);
        List<float[][]> sequences = train;
        Networks.Trained trained = Networks.fitWithEarlyStopping(net, train.size(), s.batchSize(), s.maxEpochs(),
                s.patience(), seed, (order, from, to) -> {
                    List<float[][]> batch = new java.util.ArrayList<>();
                    for (int i = from; i < to; i++) {
                        batch.add(sequences.get(order[i]));
                    }
                    INDArray[] t = tensors(batch, width, d, length);
                    return new DataSet(t[0], t[1]);
                }, () -> {
                    INDArray out = net.output(valT[0], false);
                    return Math.pow(out.sub(valT[1]).norm2Number().doubleValue(), 2) / valT[1].length();
                }, listener);
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("layers", List.of("lstm " + width + "->" + s.hidden(), "rnn-output " + s.hidden() + "->" + d));
        hyper.put("sequenceLength", length);
        hyper.put("learningRate", s.learningRate());
        hyper.put("batchSize", s.batchSize());
        hyper.put("maxEpochs", s.maxEpochs());
        hyper.put("epochsRun", trained.epochs());
        hyper.put("patience", s.patience());
        hyper.put("bestValidationLoss", trained.bestValidationLoss());
        SequenceAutoencoderDetector fitted = new SequenceAutoencoderDetector(net, d, c, length, 1, hyper);
        double ref = 0;
        Scored[] scored = fitted.copy().score(z.toArray(double[][]::new), context.toArray(double[][]::new));
        for (Scored sc : scored) {
            ref += sc.score() / scored.length;
        }
        return new SequenceAutoencoderDetector(net, d, c, length, Math.max(ref, 1e-9), hyper);
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.SEQUENCE_AUTOENCODER;
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return hyper;
    }

    public int features() {
        return features;
    }

    public int contextWidth() {
        return contextWidth;
    }

    public int length() {
        return length;
    }

    public double errorRef() {
        return errorRef;
    }

    /** Scores observations of this detector's stream, in time order, remembering the last L-1 for the next call. */
    @Override
    public Scored[] score(double[][] z, double[][] context) {
        int n = z.length;
        if (n == 0) {
            return new Scored[0];
        }
        int width = features + contextWidth;
        List<float[][]> seqs = new java.util.ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            history.addLast(step(z[r], contextWidth == 0 ? null : context[r]));
            while (history.size() > length) {
                history.removeFirst();
            }
            float[][] seq = new float[length][];
            // until the stream has L observations, the oldest one stands in for the missing past
            int missing = length - history.size();
            Iterator<float[]> it = history.iterator();
            float[] first = history.peekFirst();
            for (int t = 0; t < length; t++) {
                seq[t] = t < missing ? first : it.next();
            }
            seqs.add(seq);
        }
        INDArray[] t = tensors(seqs, width, features, length);
        INDArray out = net.output(t[0], false);
        float[] o = (out.ordering() == 'c' ? out : out.dup('c')).data().asFloat();
        Scored[] result = new Scored[n];
        for (int r = 0; r < n; r++) {
            // the last step of row r's sequence
            result[r] = Networks.scored(z[r], o, r * features * length + length - 1, length, errorRef);
        }
        return result;
    }

    @Override
    public Detector forStream() {
        return copy();
    }

    /** A fresh copy with its own network and an empty history, for another stream or thread. */
    public SequenceAutoencoderDetector copy() {
        return new SequenceAutoencoderDetector(net.clone(), features, contextWidth, length, errorRef, hyper);
    }

    public byte[] save() throws IOException {
        return Networks.save(net);
    }

    public static SequenceAutoencoderDetector load(byte[] model, int features, int contextWidth, int length, double errorRef,
                                                   Map<String, Object> hyper) throws IOException {
        return new SequenceAutoencoderDetector(Networks.load(model), features, contextWidth, length, errorRef, hyper);
    }
}
