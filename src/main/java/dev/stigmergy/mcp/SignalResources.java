package dev.stigmergy.mcp;

import dev.stigmergy.event.EventFilter;
import dev.stigmergy.event.EventHub;
import dev.stigmergy.event.EventView;
import dev.stigmergy.intent.IntentService;
import dev.stigmergy.pheromone.PheromoneService;
import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.Resource;
import io.quarkiverse.mcp.server.ResourceManager;
import io.quarkiverse.mcp.server.ResourceResponse;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.Function;

/**
 * MCP resources: an entity's signals ({@code stigmergy://entities/{kind}/{key}}), an environment's blocked and
 * held files, and the caller's own holds, each the JSON the matching REST read answers.
 *
 * <p>Subscriptions: the extension accepts {@code resources/subscribe} only for concrete resources, so reading an
 * entity or environment through its template registers that URI as a resource of its own; from then on it can
 * be subscribed to. Every event committed by any replica (the event hub follows the shared log) that names the
 * entity or environment sends {@code notifications/resources/updated} to that URI's subscribers on this replica.
 */
@Singleton
public class SignalResources {

    private static final String JSON = "application/json";
    static final String ENTITIES = "stigmergy://entities/";
    static final String ENVIRONMENTS = "stigmergy://environments/";

    private final PheromoneService pheromones;
    private final IntentService intents;
    private final HoldTools holds;
    private final ResourceManager resources;
    private final EventHub hub;
    private final ToolCalls calls;
    private AutoCloseable listener;

    public SignalResources(PheromoneService pheromones, IntentService intents, HoldTools holds,
                           ResourceManager resources, EventHub hub, ToolCalls calls) {
        this.pheromones = pheromones;
        this.intents = intents;
        this.holds = holds;
        this.resources = resources;
        this.hub = hub;
        this.calls = calls;
    }

    // lazily: while no resource can be subscribed to, the hub need not load events for us
    private synchronized void listen() {
        if (listener == null) {
            listener = hub.listen(EventFilter.everything(), this::changed);
        }
    }

    synchronized void stop(@Observes ShutdownEvent stopping) throws Exception {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }

    @ResourceTemplate(name = "entity_signals", uriTemplate = ENTITIES + "{kind}/{key}", mimeType = JSON,
            description = "The signals on an entity as your acting role senses them now (as sense_entity): visible "
                    + "pheromones with current intensities and per-type totals, including files_blocked. Read it "
                    + "once, then subscribe to be told when it changes.")
    TextResourceContents entity(String kind, String key, RequestUri uri) {
        String text = entitySignals(kind, key);
        register(uri.value(), "entity signals", args -> entitySignals(kind, key));
        return TextResourceContents.create(uri.value(), text);
    }

    @ResourceTemplate(name = "environment_blocked_files", uriTemplate = ENVIRONMENTS + "{environment}/blocked-files",
            mimeType = JSON, description = "Files held at L4 in an environment right now, with holder, intent, "
            + "priority and expiresAt (UTC): what nobody else may touch.")
    TextResourceContents blockedFiles(String environment, RequestUri uri) {
        String text = calls.content(Addressed.environment(environment), caller -> intents.blockedFiles(environment));
        register(uri.value(), "blocked files", args -> calls.content(Addressed.environment(environment), caller -> intents.blockedFiles(environment)));
        return TextResourceContents.create(uri.value(), text);
    }

    @ResourceTemplate(name = "environment_held_files", uriTemplate = ENVIRONMENTS + "{environment}/held-files",
            mimeType = JSON, description = "Every file held by an active intent in an environment (levels 1-4), "
            + "with holder and expiresAt (UTC): the file heat map.")
    TextResourceContents heldFiles(String environment, RequestUri uri) {
        String text = calls.content(Addressed.environment(environment), caller -> intents.heldFiles(environment));
        register(uri.value(), "held files", args -> calls.content(Addressed.environment(environment), caller -> intents.heldFiles(environment)));
        return TextResourceContents.create(uri.value(), text);
    }

    @Resource(name = "my_holds", uri = "stigmergy://agents/me/holds", mimeType = JSON,
            description = "Your live locks, active intents, pheromone claims and pending unlock requests (as my_holds).")
    TextResourceContents myHolds(RequestUri uri) {
        return TextResourceContents.create(uri.value(), calls.content(Addressed.NOTHING, caller -> holds.holdsOf(caller)));
    }

    private String entitySignals(String kind, String key) {
        return calls.content(new Addressed(null, List.of("entities", kind, key)), caller -> pheromones.sense(kind, key, caller));
    }

    // synchronized: concurrent first reads of one URI register it once
    private synchronized void register(String uri, String title, Function<Object, String> read) {
        if (resources.getResource(uri) != null) {
            return;
        }
        listen();
        resources.newResource(uri).setUri(uri).setTitle(title).setMimeType(JSON)
                .setDescription(title + " at " + uri + "; subscribe to be told when it changes")
                .setHandler(args -> new ResourceResponse(TextResourceContents.create(uri, read.apply(args))))
                .register();
    }

    private void changed(EventView event) {
        if (event.entity() != null) {
            notify(ENTITIES + event.entity());
        }
        if (event.environment() != null) {
            notify(ENVIRONMENTS + event.environment() + "/blocked-files");
            notify(ENVIRONMENTS + event.environment() + "/held-files");
        }
    }

    private void notify(String uri) {
        ResourceManager.ResourceInfo resource = resources.getResource(uri);
        if (resource != null) {
            resource.sendUpdateAndForget();
        }
    }
}
