package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.AcquireLock;
import dev.stigmergy.client.model.AddDependency;
import dev.stigmergy.client.model.DeclareIntent;
import dev.stigmergy.client.model.DeclareMode;
import dev.stigmergy.client.model.DeclaredFile;
import dev.stigmergy.client.model.Deposit;
import dev.stigmergy.client.model.LineRange;
import dev.stigmergy.client.model.PheromoneView;
import dev.stigmergy.client.model.ReadyEntity;
import dev.stigmergy.client.model.TypeAggregate;
import dev.stigmergy.client.model.Verdict;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The worker port over REST: the Java SDK's generated calls, as the agent of {@code medium}. */
final class RestPort implements WorkerPort {

    private final Medium medium;

    RestPort(Medium medium) {
        this.medium = medium;
    }

    @Override
    public List<Ready> ready(String environment, String kind, int limit) throws ApiException {
        return medium.ready().listReadyWork(environment, null, List.of(kind), limit).getItems().stream()
                .map(e -> new Ready(e.getEntity(), importance(e))).toList();
    }

    private static double importance(ReadyEntity e) {
        return e.getImportance() == null ? 0 : e.getImportance();
    }

    @Override
    public boolean acquireLock(String entity, int leaseSeconds, String reason) throws ApiException {
        Address at = Address.of(entity);
        try {
            medium.locks().acquireLock(at.kind(), at.key(), new AcquireLock().leaseSeconds(leaseSeconds).reason(reason));
            return true;
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void releaseLock(String entity) throws ApiException {
        Address at = Address.of(entity);
        medium.locks().releaseLock(at.kind(), at.key());
    }

    @Override
    public Long declareIntent(String environment, String entity, List<Declared> files, String description, int priority,
                              int leaseSeconds, String baseCommit) throws ApiException {
        List<DeclaredFile> declared = files.stream().map(f -> {
            DeclaredFile file = new DeclaredFile().path(f.path()).level(f.level());
            if (!f.ranges().isEmpty()) {
                file.lineRanges(f.ranges().stream().map(r -> new LineRange().start(r[0]).end(r[1])).toList());
            }
            return file;
        }).toList();
        try {
            return medium.intents().declareIntent(environment, new DeclareIntent().entity(entity).files(declared)
                    .description(description).priority(priority).leaseSeconds(leaseSeconds).baseCommit(baseCommit)
                    .mode(DeclareMode.ALL_OR_NOTHING)).getIntent().getId();
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void endIntent(long intentId, boolean completed) throws ApiException {
        if (completed) {
            medium.intents().completeIntent(intentId);
        } else {
            medium.intents().cancelIntent(intentId);
        }
    }

    @Override
    public void deposit(String entity, String type, double intensity, Map<String, Object> payload) throws ApiException {
        Address at = Address.of(entity);
        medium.pheromones().depositPheromone(at.kind(), at.key(), new Deposit().type(type).intensity(intensity).payload(payload));
    }

    @Override
    public List<Mark> sense(String entity) throws ApiException {
        Address at = Address.of(entity);
        return medium.pheromones().senseEntity(at.kind(), at.key()).getPheromones().stream()
                .map((PheromoneView p) -> new Mark(p.getId(), p.getType(), p.getPayload())).toList();
    }

    @Override
    public Map<String, Double> ranked(String type, String environment, String kind, int limit) throws ApiException {
        Map<String, Double> byEntity = new HashMap<>();
        for (TypeAggregate a : medium.pheromones().rankEntities(type, 0, environment, null, kind, limit, null).getAggregates()) {
            if (a.getTotalIntensity() != null && a.getTotalIntensity() > 0) {
                byEntity.put(a.getEntity(), a.getTotalIntensity());
            }
        }
        return byEntity;
    }

    @Override
    public void heartbeat() throws ApiException {
        medium.agents().heartbeat();
    }

    @Override
    public void verdict(long pheromoneId, boolean approve, String trigger) throws ApiException {
        medium.pheromones().reinforcePheromone(pheromoneId, new Verdict().approve(approve).trigger(trigger));
    }

    @Override
    public void dependOn(String entity, String dependsOn) throws ApiException {
        dependOn(medium, entity, dependsOn);
    }

    /** The REST call both ports make for a {@code depends-on} link. */
    static void dependOn(Medium medium, String entity, String dependsOn) throws ApiException {
        Address at = Address.of(entity);
        medium.dependencies().addDependency(at.kind(), at.key(), new AddDependency().dependsOn(dependsOn));
    }

    @Override
    public void close() {
        // the SDK's client holds nothing to end
    }

    /** An entity address {@code kind/key} split for the SDK's path parameters. */
    record Address(String kind, String key) {
        static Address of(String entity) {
            int slash = entity.indexOf('/');
            return new Address(entity.substring(0, slash), entity.substring(slash + 1));
        }
    }
}
