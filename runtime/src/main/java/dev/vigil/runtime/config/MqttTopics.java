package dev.vigil.runtime.config;

import java.util.Arrays;
import java.util.List;

/**
 * The MQTT topic pattern frames are published on, e.g. {@code vigil/{machine}/{channel}} (the default) or
 * {@code plant/hall-2/{machine}/vib/{channel}}: {@code {machine}} and {@code {channel}} are whole topic levels,
 * subscribed as {@code +}.
 */
public final class MqttTopics {
    public static final String DEFAULT = "vigil/{machine}/{channel}";
    private final String pattern;
    private final String[] levels;
    private final int machineLevel;
    private final int channelLevel;

    public MqttTopics(String pattern) {
        this.pattern = pattern;
        this.levels = pattern.split("/", -1);
        List<String> l = Arrays.asList(levels);
        machineLevel = l.indexOf("{machine}");
        channelLevel = l.indexOf("{channel}");
        if (machineLevel < 0 || channelLevel < 0 || l.lastIndexOf("{machine}") != machineLevel
                || l.lastIndexOf("{channel}") != channelLevel) {
            throw new IllegalArgumentException("topic pattern '" + pattern
                    + "' must have {machine} and {channel} once each, as whole levels (e.g. " + DEFAULT + ")");
        }
        for (String level : levels) {
            if (level.contains("+") || level.contains("#") || level.isEmpty()) {
                throw new IllegalArgumentException("topic pattern '" + pattern + "' has a wildcard or empty level");
            }
        }
    }

    public String pattern() {
        return pattern;
    }

    /** The subscription: the pattern with its two variable levels as {@code +}. */
    public String subscription() {
        String[] sub = levels.clone();
        sub[machineLevel] = "+";
        sub[channelLevel] = "+";
        return String.join("/", sub);
    }

    /** {machine, channel} of a topic, or null when it does not match the pattern. */
    public String[] parse(String topic) {
        String[] t = topic.split("/", -1);
        if (t.length != levels.length) {
            return null;
        }
        for (int i = 0; i < t.length; i++) {
            if (i != machineLevel && i != channelLevel && !t[i].equals(levels[i])) {
                return null;
            }
        }
        return new String[]{t[machineLevel], t[channelLevel]};
    }
}
