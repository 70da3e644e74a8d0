package dev.vigil.runtime;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertEvent;
import dev.vigil.runtime.alert.AlertJson;
import dev.vigil.runtime.alert.AlertTracker;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.Verdict;
import dev.vigil.runtime.api.AlertRoutes;
import dev.vigil.runtime.record.Recorder;
import dev.vigil.runtime.score.LevelFeedback;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * What follows every stored alert change: live subscribers hear of it (the event stream, the dashboard); an
 * engineer's false-alarm verdict on a machine alert raises that machine's levels (feedback); a raised alert starts a
 * capture of the frames around it (unless it is about missing data: there are none to capture).
 */
final class AlertFanOut implements Consumer<AlertEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFanOut.class);
    private final EventBus bus;
    private final AlertJson json;
    private final LevelFeedback feedback;
    private final Recorder recordings;

    /** @param recordings the recorder, or null when recording is off */
    AlertFanOut(EventBus bus, AlertJson json, LevelFeedback feedback, Recorder recordings) {
        this.bus = bus;
        this.json = json;
        this.feedback = feedback;
        this.recordings = recordings;
    }

    @Override
    public void accept(AlertEvent e) {
        bus.publish(AlertRoutes.EVENTS, json.event(e));
        Alert a = e.alert();
        if (e.type() == AlertEvent.Type.RESOLVED && a.category() == Category.MACHINE
                && a.handling().verdict() == Verdict.FALSE_ALARM) {
            try {
                double factor = feedback.falseAlarm(a.machineId());
                LOG.info("false alarm on {}: its levels are now {} times the calibrated ones", a.machineId(), factor);
            } catch (SQLException ex) {
                LOG.warn("could not store false-alarm feedback for {}: {}", a.machineId(), ex.toString());
            }
        }
        if (recordings != null && e.type() == AlertEvent.Type.RAISED && !a.fault().equals(AlertTracker.STALE)) {
            recordings.alertRaised(a.machineId(), a.id(), a.firstSeen());
        }
    }
}
