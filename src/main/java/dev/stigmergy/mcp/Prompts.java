package dev.stigmergy.mcp;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptArg;
import io.quarkiverse.mcp.server.PromptMessage;

/** Prompts a host can offer its model: the protocols of coordinated editing and of picking work. */
public class Prompts {

    @Prompt(name = "coordinate_edit", description = "The protocol to follow before, while and after editing files "
            + "that other agents may also edit: check, declare, heartbeat, complete.")
    PromptMessage coordinateEdit(
            @PromptArg(description = "environment name") String environment,
            @PromptArg(description = "the entity your work belongs to, kind/key, e.g. job/COD2-5") String entity,
            @PromptArg(description = "the files you plan to edit, comma-separated repo-relative paths or globs",
                    required = false) String files) {
        String planned = files == null || files.isBlank() ? "the files you plan to edit" : files;
        return PromptMessage.withUserRole("""
                You are editing files in environment %1$s for %2$s, alongside other agents. Coordinate through \
                the Stigmergy tools; never message other agents directly.

                1. Before editing, call check_files with %3$s (paths repo-relative; line ranges 1-based, both \
                ends inclusive). If a file collides, read the holder, level and expiresAt it names: pick other \
                files or work, wait for the expiry, or call request_unlock with the intentId and a reason.
                2. Call declare_intent with the same files under %2$s: level 4 when nobody else may touch a \
                file, 2 to warn others off, 1 to be advisory; a lease of a few minutes (leaseSeconds). A denied \
                file is an isError result naming its holder: do not edit it.
                3. While you edit, call heartbeat more often than your shortest lease, so your holds do not \
                lapse. Check my_holds for unlock requests addressed to you and answer them with \
                answer_unlock_request.
                4. When the edits are committed, call complete_intent with the intentId (or cancel_intent if \
                you gave up). Holds you abandon lapse by themselves, but others wait until then.
                """.formatted(environment, entity, planned));
    }

    @Prompt(name = "pick_work", description = "How to choose the next entity to work on from the signals, and "
            + "claim it so no other agent takes it too.")
    PromptMessage pickWork(
            @PromptArg(description = "environment name") String environment,
            @PromptArg(description = "entity kind to pick from; default job", required = false) String kind) {
        String of = kind == null || kind.isBlank() ? "job" : kind;
        return PromptMessage.withUserRole("""
                Pick your next %2$s in environment %1$s.

                1. Call rank_entities with type importance, environment %1$s, kind %2$s: entities strongest \
                first, by decayed intensity.
                2. For the strongest candidates call sense_entity: skip one that carries files_blocked on files \
                you need, task_not_ready, or high saturation or workingonit from other agents.
                3. Call acquire_lock on the one you choose, with a lease in seconds. An isError result names \
                the current holder: take the next candidate rather than waiting.
                4. Deposit workingonit on it (deposit_pheromone) so that others sense you are on it, and follow \
                coordinate_edit for the files you change. Release the lock when you are done.
                """.formatted(environment, of));
    }
}
