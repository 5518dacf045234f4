package dev.stigmergy.client;

import dev.stigmergy.client.api.AgentsApi;
import dev.stigmergy.client.api.EntitiesApi;
import dev.stigmergy.client.api.EnvironmentsApi;
import dev.stigmergy.client.api.EventsApi;
import dev.stigmergy.client.api.DependenciesApi;
import dev.stigmergy.client.api.IntentsApi;
import dev.stigmergy.client.api.LocksApi;
import dev.stigmergy.client.api.PheromonesApi;
import dev.stigmergy.client.api.ReadyApi;
import dev.stigmergy.client.api.UnlockRequestsApi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One agent's connection to a Stigmergy service: the generated API classes, configured with the agent's
 * bearer token (and optionally the role it acts as), plus the event stream the generator cannot produce.
 *
 * <pre>{@code
 * StigmergyClient client = StigmergyClient.builder()
 *         .baseUrl(URI.create("http://localhost:8080"))
 *         .token(System.getenv("STIGMERGY_TOKEN"))
 *         .role("worker")              // optional X-Stigmergy-Role; default: the agent's first role
 *         .build();
 * client.pheromones().depositPheromone("job", "COD2-5", new Deposit().type("workingonit"));
 * try (EventStream events = client.stream(List.of("lock.*"), "app", null)) { ... }
 * }</pre>
 *
 * <p>Idempotent calls (GET, PUT, DELETE such as a lock's release, and the POSTs that renew a lock, renew or
 * complete an intent, or send the heartbeat) are retried, with exponential backoff, when the connection fails
 * or the service answers 502/503/504, a 503's {@code Retry-After} setting the delay ({@link Builder#retries});
 * other POSTs are sent once. Errors of the
 * service reach the caller as the generated {@link ApiException}, whose body is the RFC 9457 problem.
 * A client is thread-safe and meant to be shared by the threads of one agent.
 */
public final class StigmergyClient {

    /** The header that selects the role a call acts as, among the agent's roles. */
    public static final String ROLE_HEADER = "X-Stigmergy-Role";

    private final ApiClient apiClient;
    private final Consumer<HttpRequest.Builder> authentication;
    private final AgentsApi agents;
    private final EnvironmentsApi environments;
    private final EntitiesApi entities;
    private final PheromonesApi pheromones;
    private final LocksApi locks;
    private final UnlockRequestsApi unlockRequests;
    private final IntentsApi intents;
    private final EventsApi events;
    private final ReadyApi ready;
    private final DependenciesApi dependencies;

    private StigmergyClient(Builder builder) {
        String authorization = "Bearer " + builder.token;
        String role = builder.role;
        this.authentication = request -> {
            request.setHeader("Authorization", authorization);
            if (role != null) {
                request.setHeader(ROLE_HEADER, role);
            }
        };
        HttpClient retrying = new RetryingHttpClient(
                HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build(),
                builder.maxRetries, builder.firstRetryDelay, builder.maxRetryDelay);
        // the generated API classes take their HttpClient from getHttpClient() once, at construction:
        // overriding it puts the retries under every generated call (the builder argument goes unused)
        this.apiClient = new ApiClient(HttpClient.newBuilder(), ApiClient.createDefaultObjectMapper(),
                stripTrailingSlash(builder.baseUrl.toString())) {
            @Override
            public HttpClient getHttpClient() {
                return retrying;
            }
        };
        // a generated call whose success has no body (204) asks for application/problem+json only, which the
        // service answers 406; every call accepts both
        apiClient.setRequestInterceptor(authentication.andThen(
                request -> request.setHeader("Accept", "application/json, application/problem+json")));
        apiClient.setReadTimeout(builder.readTimeout);
        this.agents = new AgentsApi(apiClient);
        this.environments = new EnvironmentsApi(apiClient);
        this.entities = new EntitiesApi(apiClient);
        this.pheromones = new PheromonesApi(apiClient);
        this.locks = new LocksApi(apiClient);
        this.unlockRequests = new UnlockRequestsApi(apiClient);
        this.intents = new IntentsApi(apiClient);
        this.events = new EventsApi(apiClient);
        this.ready = new ReadyApi(apiClient);
        this.dependencies = new DependenciesApi(apiClient);
    }

    /** Starts a client description; {@link Builder#baseUrl} and {@link Builder#token} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Agents: register (admin), read, the calling agent ({@code GET /agents/me}). */
    public AgentsApi agents() {
        return agents;
    }

    /** Environments: a repository and its main branch, which entities belong to. */
    public EnvironmentsApi environments() {
        return environments;
    }

    /** Entities: jobs, merge requests and other addressable things signals are left on. */
    public EntitiesApi entities() {
        return entities;
    }

    /** Pheromones: deposit, reinforce, sense, claim. */
    public PheromonesApi pheromones() {
        return pheromones;
    }

    /** Locks: acquire, renew, release, fencing-token checks. */
    public LocksApi locks() {
        return locks;
    }

    /** Unlock requests against a held lock or intent. */
    public UnlockRequestsApi unlockRequests() {
        return unlockRequests;
    }

    /** File-update intents (L1 to L4). */
    public IntentsApi intents() {
        return intents;
    }

    /** The event log, page by page; for live events use {@link #stream}. */
    public EventsApi events() {
        return events;
    }

    /** Ready work: what the caller could take now in an environment, best first. */
    public ReadyApi ready() {
        return ready;
    }

    /** {@code depends-on} links between entities of one environment: add, remove, list both directions. */
    public DependenciesApi dependencies() {
        return dependencies;
    }

    /** The configured generated client, for calls or settings this class does not cover. */
    public ApiClient apiClient() {
        return apiClient;
    }

    /**
     * Opens {@code GET /events/stream}: the events matching every given filter, live, as they commit.
     * Returns once the service has accepted the stream; events then queue up in the returned stream
     * until {@link EventStream#poll} takes them.
     *
     * @param selectors   event type selectors ({@code pheromone.*}, {@code *.released}, {@code intent.denied});
     *                    empty or {@code null} for every type
     * @param environment only events of this environment, or {@code null} for all
     * @param lastEventId resume after this event id (the service replays what followed it from the log),
     *                    or {@code null} to start with the next event
     * @throws ApiException when the service refuses the stream (its status and problem body) or cannot be reached
     */
    public EventStream stream(List<String> selectors, String environment, Long lastEventId) throws ApiException {
        return EventStream.open(this, selectors, environment, lastEventId);
    }

    Consumer<HttpRequest.Builder> authentication() {
        return authentication;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** What a {@link StigmergyClient} connects to and as whom. */
    public static final class Builder {
        private URI baseUrl;
        private String token;
        private String role;
        private int maxRetries = 3;
        private Duration firstRetryDelay = Duration.ofMillis(200);
        private Duration maxRetryDelay = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The service's root, e.g. {@code http://localhost:8080}. Required. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** The agent's bearer token, as shown once at registration. Required. */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** The role calls act as ({@code X-Stigmergy-Role}); {@code null} (default): the agent's first role. */
        public Builder role(String role) {
            this.role = role;
            return this;
        }

        /**
         * Retries of idempotent calls: at most {@code maxRetries} more attempts (default 3), waiting
         * {@code firstDelay} (default 200 ms) then doubling up to {@code maxDelay} (default 2 s; a fixed delay when
         * not above {@code firstDelay}); a 503's {@code Retry-After} replaces the delay, capped at {@code maxDelay}.
         * 0 turns retries off.
         */
        public Builder retries(int maxRetries, Duration firstDelay, Duration maxDelay) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            this.firstRetryDelay = Objects.requireNonNull(firstDelay, "firstDelay");
            this.maxRetryDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /** How long to wait for a connection (default 10 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a generated call waits for the response (default 30 s); does not apply to {@link #stream}. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
            return this;
        }

        /** The client; throws {@link IllegalStateException} when the base URL or the token is missing. */
        public StigmergyClient build() {
            if (baseUrl == null || token == null) {
                throw new IllegalStateException("baseUrl and token are required");
            }
            return new StigmergyClient(this);
        }
    }
}
