package dev.stigmergy.lock;

/**
 * Answer of {@code POST /fencing/check}.
 *
 * @param entity       entity address {@code kind/key}
 * @param token        the token checked
 * @param current      whether {@code token} is the fencing token of the entity's live lock at the service's now
 * @param currentToken the live lock's token, or {@code null} when the entity is not locked
 * @param holder       the live lock's holder, or {@code null}
 */
public record FencingVerdict(String entity, long token, boolean current, Long currentToken, String holder) {
}
