package dev.stigmergy.nats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.stigmergy.agent.AgentService;
import dev.stigmergy.agent.BearerAuthentication;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.DatabaseOutage;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.api.Problem;
import dev.stigmergy.api.ProblemMapper;
import dev.stigmergy.api.StigmergyException;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.event.NatsBridgeConfig;
import dev.stigmergy.lease.LeaseService;
import dev.stigmergy.pheromone.PheromoneService;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The NATS door (issue 29, DESIGN.md §7 "one rule, many doors"): agents deposit pheromones and heartbeat by NATS
 * request/reply. A request on {@code <prefix>.<environment>.deposit} (body {@link NatsDeposit}) or
 * {@code <prefix>.<environment>.heartbeat} (no body) carries the agent's token in the header
 * {@code Authorization: Bearer <token>} and optionally {@code X-Stigmergy-Role}; the reply is the JSON the REST
 * call answers ({@code POST /entities/{kind}/{key}/pheromones}, {@code POST /agents/me/heartbeat}) or its problem
 * document, with the HTTP status in the header {@code Stigmergy-Status} and {@code Content-Type}
 * {@code application/json} or {@code application/problem+json}. The same services decide, with the same
 * validation, roles, slices and environment scopes; a request that is malformed, unauthenticated or refused
 * changes nothing. A message without a reply subject is ignored (nobody would learn its outcome).
 * Replicas answer in one queue group, so each request is answered once.
 */
@ApplicationScoped
public class NatsRequests {

    /** Reply header holding the HTTP status REST would answer. */
    public static final String STATUS = "Stigmergy-Status";

    private static final Logger LOG = Logger.getLogger(NatsRequests.class);

    private final NatsBridgeConfig nats;
    private final NatsRequestsConfig config;
    private final AgentService agents;
    private final EntityService entities;
    private final EnvironmentService environments;
    private final PheromoneService pheromones;
    private final LeaseService leases;
    private final Validator validator;
    private final ObjectMapper json;
    private final ProblemMapper problems;
    private final MeterRegistry metrics;

    private Connection connection;
    private ExecutorService workers;

    public NatsRequests(NatsBridgeConfig nats, NatsRequestsConfig config, AgentService agents, EntityService entities,
                        EnvironmentService environments, PheromoneService pheromones, LeaseService leases,
                        Validator validator, ObjectMapper json, DatabaseOutage outage, MeterRegistry metrics) {
        this.nats = nats;
        this.config = config;
        this.agents = agents;
        this.entities = entities;
        this.environments = environments;
        this.pheromones = pheromones;
        this.leases = leases;
        this.validator = validator;
        this.json = json;
        // the REST door's mapping of failures to problems, so that both doors answer alike
        this.problems = new ProblemMapper(outage);
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent started) {
        if (nats.url().isPresent() && config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent stopping) {
        stop();
    }

    /** Subscribes to the request subjects; idempotent. Failing to reach NATS at start is logged, not fatal. */
    synchronized void start() {
        if (connection != null) {
            return;
        }
        try {
            Options options = Options.builder().server(nats.url().orElseThrow())
                    .connectionName("stigmergy-requests").connectionTimeout(Duration.ofSeconds(5))
                    .maxReconnects(-1).build();
            connection = Nats.connect(options);
        } catch (Exception e) {
            LOG.warnf("NATS requests are off: cannot connect to %s (%s)", nats.url().orElse("?"), e.getMessage());
            return;
        }
        workers = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "nats-requests");
            t.setDaemon(true);
            return t;
        });
        Dispatcher dispatcher = connection.createDispatcher(this::dispatch);
        dispatcher.subscribe(nats.subjectPrefix() + ".*.deposit", config.queueGroup());
        dispatcher.subscribe(nats.subjectPrefix() + ".*.heartbeat", config.queueGroup());
        LOG.infof("answering NATS requests on %s.<environment>.deposit and .heartbeat", nats.subjectPrefix());
    }

    /** Unsubscribes and disconnects; idempotent. */
    synchronized void stop() {
        if (connection == null) {
            return;
        }
        try {
            connection.drain(Duration.ofSeconds(5));
        } catch (Exception e) {
            LOG.debugf("NATS requests drain: %s", e.getMessage());
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection = null;
    }

    // on the dispatcher's thread: hand the call to a worker, since it blocks on the database
    private void dispatch(Message message) {
        if (message.getReplyTo() == null) {
            return;
        }
        try {
            workers.execute(() -> reply(message, answer(message)));
        } catch (RejectedExecutionException shuttingDown) {
            // stopping: the requester's timeout tells it, and nothing was done
        }
    }

    /** A reply: status as REST answers it and the JSON body. */
    record Answer(int status, Object body) {
    }

    Answer answer(Message message) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            String[] address = address(message.getSubject());
            Headers headers = message.getHeaders();
            AgentService.Authenticated who = agents.authenticateBearer(header(headers, "Authorization"),
                    header(headers, BearerAuthentication.ROLE_HEADER));
            if (who.readOnly()) {
                throw new ForbiddenException("role '" + who.actingRole() + "' is read-only");
            }
            Caller caller = Caller.of(who);
            String environment = address[0];
            caller.requireEnvironment(environment);
            return switch (address[1]) {
                case "deposit" -> deposit(environment, message.getData(), caller);
                case "heartbeat" -> heartbeat(environment, caller);
                default -> throw new NotFoundException("request subject", message.getSubject());
            };
        } catch (Throwable e) {
            Response response = problem(e);
            return new Answer(response.getStatus(), response.getEntity());
        } finally {
            requestContext.terminate();
        }
    }

    private Answer deposit(String environment, byte[] body, Caller caller) throws java.io.IOException {
        if (body == null || body.length == 0) {
            throw new InvalidInputException("a deposit request carries a JSON body: {\"entity\": \"job/KEY\", \"type\": ...}");
        }
        NatsDeposit request = valid(json.readValue(body, NatsDeposit.class));
        int slash = request.entity().indexOf('/');
        if (slash <= 0 || slash == request.entity().length() - 1 || slash > 40 || request.entity().length() - slash - 1 > 128) {
            throw new InvalidInputException("entity must be an address kind/key (kind up to 40, key up to 128 characters)");
        }
        String kind = request.entity().substring(0, slash);
        String key = request.entity().substring(slash + 1);
        EntityRef entity = entities.require(kind, key);
        if (!entity.environment().equals(environment)) {
            throw new NotFoundException("entity", request.entity() + "' in environment '" + environment);
        }
        PheromoneService.Deposited deposited = pheromones.deposit(kind, key, valid(request.deposit()), caller);
        metrics.counter("stigmergy.nats.requests", "subject", "deposit").increment();
        return new Answer(deposited.created() ? 201 : 200, deposited.pheromone());
    }

    private Answer heartbeat(String environment, Caller caller) {
        environments.get(environment); // 404 for an unknown environment, as a path naming it answers
        Object renewed = leases.heartbeat(caller);
        metrics.counter("stigmergy.nats.requests", "subject", "heartbeat").increment();
        return new Answer(200, renewed);
    }

    private <T> T valid(T record) {
        Set<ConstraintViolation<T>> violations = validator.validate(record);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(new HashSet<>(violations));
        }
        return record;
    }

    // <prefix>.<environment>.<operation>: the prefix may hold dots, the environment cannot (NATS tokens)
    private String[] address(String subject) {
        String rest = subject.substring(nats.subjectPrefix().length() + 1);
        int dot = rest.indexOf('.');
        return new String[]{rest.substring(0, dot), rest.substring(dot + 1)};
    }

    private static String header(Headers headers, String name) {
        return headers == null ? null : headers.getFirst(name);
    }

    private Response problem(Throwable e) {
        if (e instanceof StigmergyException s) {
            return problems.stigmergy(s);
        }
        if (e instanceof ConstraintViolationException v) {
            return problems.constraintViolation(v);
        }
        if (e instanceof MismatchedInputException m) {
            return problems.mismatchedInput(m);
        }
        if (e instanceof JsonMappingException m) {
            return problems.mapping(m);
        }
        if (e instanceof JsonProcessingException j) {
            return problems.json(j);
        }
        return problems.unexpected(e);
    }

    private void reply(Message request, Answer answer) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            LOG.error("a NATS reply could not be written as JSON", e);
            body = "{\"type\":\"/problems/internal\",\"title\":\"Internal error\",\"status\":500}".getBytes();
            answer = new Answer(500, null);
        }
        Headers headers = new Headers().put(STATUS, Integer.toString(answer.status()))
                .put("Content-Type", answer.status() >= 400 ? Problem.MEDIA_TYPE : "application/json");
        try {
            connection.publish(NatsMessage.builder().subject(request.getReplyTo()).headers(headers).data(body).build());
        } catch (IllegalStateException closed) {
            LOG.debugf("NATS reply not sent: %s", closed.getMessage());
        }
    }
}
