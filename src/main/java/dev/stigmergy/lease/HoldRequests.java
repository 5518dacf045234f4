package dev.stigmergy.lease;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Lets a holder service show the pending requests against one of its holds without depending on the
 * package that keeps them (unlock requests live above the holders). At most one bean implements it; a
 * holder injects {@code Instance<HoldRequests>} and shows none when it is unresolvable.
 */
public interface HoldRequests {

    /** The requests against {@code hold} still pending at {@code now}, oldest first. */
    List<HoldRequest> pending(Hold hold, Instant now);

    /**
     * The requests still pending at {@code now} against each of the holds of {@code kind} with {@code holdIds}, as
     * {@link #pending} answers them one hold at a time, in one read for all.
     *
     * @return by hold id, each list oldest first; a hold without pending requests is left out
     */
    Map<String, List<HoldRequest>> pendingOnEach(String kind, Collection<String> holdIds, Instant now);
}
