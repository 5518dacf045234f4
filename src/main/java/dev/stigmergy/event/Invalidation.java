package dev.stigmergy.event;

import com.github.benmanes.caffeine.cache.Cache;

/**
 * A CDI event telling this replica's caches of rarely changing rows (agents' tokens, signal types) that some
 * replica changed {@code topic}, e.g. {@code agent:admin}, or, when {@code topic} is {@code null}, that any of them
 * may have changed: the notification connection was (re)established, and what was announced meanwhile is lost.
 * Fired by {@link EventNotificationListener} on the listener's thread, after the changing transaction committed.
 */
public record Invalidation(String topic) {

    /** Whether a cache entry under {@code topic} must go. */
    public boolean covers(String topic) {
        return this.topic == null || this.topic.equals(topic);
    }

    /**
     * Applies this invalidation to a cache keyed by name whose topics are {@code prefix + name}
     * (e.g. {@code signal-type:importance}): everything goes, one entry, or nothing.
     */
    public void evict(Cache<String, ?> cache, String prefix) {
        if (topic == null) {
            cache.invalidateAll();
        } else if (topic.startsWith(prefix)) {
            cache.invalidate(topic.substring(prefix.length()));
        }
    }
}
