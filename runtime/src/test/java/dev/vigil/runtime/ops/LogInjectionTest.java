package dev.vigil.runtime.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped text log configurations, with a topic, machine id or channel name sent by an attacker on the plant
 * network in the message and in an exception's message: one log line stays one line (no forged "ERROR" line, no
 * bidi override hiding text), while a stack trace keeps its own line breaks.
 */
class LogInjectionTest {
    static final String FORGED = "vigil/cnc-1\n2026-12-02 10:00:00,000 ERROR [main] dev.vigil - admin token is 42\r"
            + "\u202Eevil\u001b[31m";

    @TempDir
    Path tmp;

    private String render(String config, String loggerName, String appender) throws Exception {
        LoggerContext context = new LoggerContext();
        context.putProperty("vigil.demo.log", tmp.resolve("demo.log").toString());
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(LogInjectionTest.class.getResource("/" + config));
        Logger logger = context.getLogger(loggerName);
        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(appender)).getEncoder();
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR,
                "MQTT frame on {} not scored", new IllegalStateException("channel '" + FORGED + "'",
                new IOException("inner " + FORGED)), new Object[]{FORGED});
        String out = new String(encoder.encode(event), StandardCharsets.UTF_8);
        context.stop();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"logback-runtime.xml:OUT", "logback-demo.xml:FILE"})
    void aNameFromTheNetworkCannotForgeALogLine(String configAndAppender) throws Exception {
        String[] parts = configAndAppender.split(":");
        String out = render(parts[0], "dev.vigil.runtime.ingest.MqttIngestVerticle", parts[1]);
        String[] lines = out.split("\n");
        assertThat(lines[0]).contains("MQTT frame on vigil/cnc-1\uFFFD2026-12-02 10:00:00,000 ERROR", "\uFFFDevil\uFFFD[31m");
        for (String line : lines) {
            assertThat(line).as(out).doesNotContain("\r", "\u202E", "\u001b")
                    .matches(l -> l.startsWith("\t") || l.startsWith("Caused by: ") || lines[0] == l
                            || l.startsWith("java.lang.IllegalStateException"), "a log, trace or cause line");
            assertThat(line).as(out).doesNotStartWith("2026-12-02 10:00:00,000 ERROR");
        }
        assertThat(out).contains("\tat ", "Caused by: java.io.IOException: inner vigil/cnc-1\uFFFD2026");
    }
}
