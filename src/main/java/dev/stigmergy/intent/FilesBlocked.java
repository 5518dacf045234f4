package dev.stigmergy.intent;

import dev.stigmergy.pheromone.ServiceSignals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps the service-owned {@code files_blocked} pheromone (DESIGN.md §4): while an intent holds files at
 * L4, on its parent entity and on every entity whose intent it denied, with payload
 * {@code {files, holder, intentId}}; retracted, idempotently, when the L4 hold ends by any path.
 */
@ApplicationScoped
class FilesBlocked {

    static final String TYPE = "files_blocked";

    private final ServiceSignals pheromones;
    private final IntentRepository repository;

    FilesBlocked(ServiceSignals pheromones, IntentRepository repository) {
        this.pheromones = pheromones;
        this.repository = repository;
    }

    /** Brings the signals of {@code intent} in line with its current L4 files (none when it ended). */
    @Transactional(Transactional.TxType.MANDATORY)
    void refresh(IntentView intent) {
        refresh(intent, repository.blockedEntities(intent.id()));
    }

    /** Puts up the signal of an intent just declared, which has blocked no other entity yet. */
    @Transactional(Transactional.TxType.MANDATORY)
    void declared(IntentView intent) {
        refresh(intent, List.of());
    }

    private void refresh(IntentView intent, List<String> entities) {
        List<String> files = "ACTIVE".equals(intent.status())
                ? intent.files().stream().filter(f -> f.level() == 4 && "HELD".equals(f.status())).map(IntentFileView::path).toList()
                : List.of();
        String source = "intent:" + intent.id();
        if (files.isEmpty()) {
            retract(intent.entity(), source);
            for (String entity : entities) {
                retract(entity, source);
            }
            return;
        }
        Map<String, Object> payload = Map.of("files", files, "holder", intent.agent(), "intentId", intent.id());
        keep(intent.entity(), source, payload);
        for (String entity : entities) {
            keep(entity, source, payload);
        }
    }

    /** Marks {@code entity} as blocked by the L4 intent {@code blockerId} and refreshes that intent's signals. */
    @Transactional(Transactional.TxType.MANDATORY)
    void blocked(String entity, long blockerId, Instant now) {
        // an ending of the blocker that is under way either waits for this transaction (and then retracts this
        // mark's signal too) or went first and is seen by the read below: no files_blocked outlives its hold
        repository.lockAgainstEnding(blockerId);
        repository.markBlocked(blockerId, entity);
        refresh(repository.find(blockerId, now));
    }

    private void keep(String entity, String source, Map<String, Object> payload) {
        int slash = entity.indexOf('/');
        pheromones.keepServiceSignal(entity.substring(0, slash), entity.substring(slash + 1), TYPE, source, payload);
    }

    private void retract(String entity, String source) {
        int slash = entity.indexOf('/');
        pheromones.retractServiceSignal(entity.substring(0, slash), entity.substring(slash + 1), TYPE, source);
    }
}
