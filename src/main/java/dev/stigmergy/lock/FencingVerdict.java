package dev.stigmergy.lock;

/**
 * Answer of {@code POST /fencing/check}.
 *
 * @param entity       entity address {@code kind/key}
 * @param environment  the entity's environment (an agent limited to other environments is answered 403)
 * @param fencingToken        the token checked
 * @param current             whether {@code fencingToken} is the fencing token of the entity's live lock at the
 *                            service's now
 * @param currentFencingToken the live lock's token, or {@code null} when the entity is not locked
 * @param holder              the live lock's holder, or {@code null}
 */
public record FencingVerdict(String entity, String environment, long fencingToken, boolean current, Long currentFencingToken, String holder) {
}
