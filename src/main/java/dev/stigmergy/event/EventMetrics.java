package dev.stigmergy.event;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The event capability's gauges on {@code /q/metrics} (issue 29): open event streams on this replica
 * ({@code stigmergy_event_stream_subscribers}) and how many events the NATS bridge still has to publish
 * ({@code stigmergy_nats_bridge_lag_events}: the stream reader's high-water mark minus the bridge's stored
 * position; 0 while the bridge is off). Both are read when scraped.
 */
@ApplicationScoped
public class EventMetrics {

    private final EventHub hub;
    private final NatsBridge bridge;

    public EventMetrics(EventHub hub, NatsBridge bridge) {
        this.hub = hub;
        this.bridge = bridge;
    }

    void register(@Observes StartupEvent started, MeterRegistry metrics) {
        Gauge.builder("stigmergy.event.stream.subscribers", hub, EventHub::subscriptionCount)
                .description("Open event streams (SSE, MCP subscriptions) on this replica").register(metrics);
        Gauge.builder("stigmergy.nats.bridge.lag", this, EventMetrics::natsLag).baseUnit("events")
                .description("Events committed but not yet acknowledged by NATS JetStream").register(metrics);
    }

    private double natsLag() {
        return bridge.running() ? Math.max(0, hub.highWater() - bridge.publishedUpTo()) : 0;
    }
}
