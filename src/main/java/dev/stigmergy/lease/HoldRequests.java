package dev.stigmergy.lease;

import java.time.Instant;
import java.util.List;

/**
 * Lets a holder service show the pending requests against one of its holds without depending on the
 * package that keeps them (unlock requests live above the holders). At most one bean implements it; a
 * holder injects {@code Instance<HoldRequests>} and shows none when it is unresolvable.
 */
public interface HoldRequests {

    /** The requests against {@code hold} still pending at {@code now}, oldest first. */
    List<HoldRequest> pending(Hold hold, Instant now);
}
