package dev.stigmergy.mcp;

import dev.stigmergy.agent.AgentService;
import dev.stigmergy.event.EventFilter;
import dev.stigmergy.event.EventHub;
import dev.stigmergy.event.EventView;
import dev.stigmergy.intent.IntentService;
import dev.stigmergy.pheromone.PheromoneSensing;
import io.quarkiverse.mcp.server.McpException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MCP resources: an entity's signals ({@code stigmergy://entities/{kind}/{key}}), an environment's blocked and
 * held files, and the caller's own holds, each the JSON the matching REST read answers.
 *
 * <p>Subscriptions: the extension (Quarkiverse MCP server 1.13.0) accepts {@code resources/subscribe} only for
 * concrete resources, and has no hook between the message and its lookup. So a template URI becomes a resource of
 * its own when it is first read, or, for a subscription without a read, when {@link McpAccess} sees the
 * {@code resources/subscribe} message and calls {@link #prepareSubscription} first (the same read, as the
 * subscribing agent: an unknown or out-of-scope address registers nothing and the subscription answers not found).
 * Every event committed by any replica (the event hub follows the shared log) that names the entity or environment
 * sends {@code notifications/resources/updated} to that URI's subscribers on this replica.
 */
@Singleton
public class SignalResources {

    private static final String JSON = "application/json";
    private static final Pattern ENTITY_URI = Pattern.compile("stigmergy://entities/([a-z][a-z0-9-]{0,39})/([A-Za-z0-9][A-Za-z0-9._-]{0,127})");
    private static final Pattern ENVIRONMENT_URI = Pattern.compile("stigmergy://environments/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/(blocked-files|held-files)");
    static final String ENTITIES = "stigmergy://entities/";
    static final String ENVIRONMENTS = "stigmergy://environments/";

    private final PheromoneSensing pheromones;
    private final IntentService intents;
    private final HoldTools holds;
    private final ResourceManager resources;
    private final EventHub hub;
    private final ToolCalls calls;
    private AutoCloseable listener;

    public SignalResources(PheromoneSensing pheromones, IntentService intents, HoldTools holds,
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

    /**
     * Registers the concrete resource behind a template URI, so that {@code resources/subscribe} finds it: reads it
     * once as {@code who} (the read checks that it exists and is in the agent's scope) and registers it.
     *
     * @return whether {@code uri} is now a concrete resource
     */
    boolean prepareSubscription(String uri, AgentService.Authenticated who) {
        if (uri == null || resources.getResource(uri) != null) {
            return uri != null;
        }
        Matcher entity = ENTITY_URI.matcher(uri);
        Matcher environment = ENVIRONMENT_URI.matcher(uri);
        try {
            if (entity.matches()) {
                String kind = entity.group(1), key = entity.group(2);
                calls.content(who, entityAddress(kind, key), caller -> pheromones.sense(kind, key, caller));
                register(uri, "entity signals", args -> entitySignals(kind, key));
            } else if (environment.matches()) {
                String name = environment.group(1);
                boolean blocked = "blocked-files".equals(environment.group(2));
                Function<Object, String> read = args -> calls.content(Addressed.environment(name),
                        caller -> blocked ? intents.blockedFiles(name) : intents.heldFiles(name));
                calls.content(who, Addressed.environment(name), caller -> blocked ? intents.blockedFiles(name)
                        : intents.heldFiles(name));
                register(uri, blocked ? "blocked files" : "held files", read);
            } else {
                return false;
            }
            return true;
        } catch (McpException unknownOrRefused) {
            return false; // the subscription answers resource-not-found, as for any unknown URI
        }
    }

    private static Addressed entityAddress(String kind, String key) {
        return new Addressed(null, List.of("entities", kind, key));
    }

    private String entitySignals(String kind, String key) {
        return calls.content(entityAddress(kind, key), caller -> pheromones.sense(kind, key, caller));
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
