import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits the service's time per call from a JFR recording made with latency.jfc (P12's profile run): for each
 * thread group, the wall time spent waiting on the database (socket reads on the PostgreSQL port), writing to it,
 * parked (waiting for another thread: a hand-off) or in Object.wait, and the CPU samples taken on it (1 ms period,
 * so samples ≈ CPU milliseconds while that thread ran Java code).
 * The window is found in the recording: the stretch where the named thread group talks to PostgreSQL, its last
 * FRACTION (the measured calls come after the warm-up); calls in the window are counted as the HTTP responses
 * written by the event loop.
 * <pre>java JfrBreakdown.java RECORDING.jfr PG_PORT PHASE_THREAD [FRACTION] [AFTER_EPOCH_MS]</pre>
 * e.g. {@code pheromone-deposits} for the deposit phase, {@code executor-thread} after the deposit window for locks.
 */
public class JfrBreakdown {

    record Ev(String type, Instant start, Duration d, String thread, int port, String top) {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int pgPort = Integer.parseInt(args[1]);
        String phaseThread = args[2];
        double fraction = args.length > 3 ? Double.parseDouble(args[3]) : 0.33;
        Instant after = args.length > 4 ? Instant.ofEpochMilli(Long.parseLong(args[4])) : Instant.EPOCH;
        List<Ev> all = new ArrayList<>();
        try (RecordingFile r = new RecordingFile(file)) {
            while (r.hasMoreEvents()) {
                RecordedEvent e = r.readEvent();
                String type = e.getEventType().getName();
                RecordedThread t = type.equals("jdk.ExecutionSample") ? e.getThread("sampledThread") : e.getThread();
                String name = t == null ? "?" : group(t.getJavaName());
                int port = e.hasField("port") ? e.getInt("port") : -1;
                String top = e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty() ? ""
                        : frames(e);
                all.add(new Ev(type, e.getStartTime(), e.getDuration(), name, port, top));
            }
        }
        Instant from = null, to = null;
        for (Ev e : all) {
            if (e.type.equals("jdk.SocketRead") && e.port == pgPort && e.thread.startsWith(phaseThread) && e.start.isAfter(after)) {
                if (from == null || e.start.isBefore(from)) from = e.start;
                if (to == null || e.start.isAfter(to)) to = e.start;
            }
        }
        if (from == null) {
            System.out.println("no database reads by " + phaseThread);
            return;
        }
        // the phase's database activity may be followed by other phases' activity on the same threads: stop at the
        // first gap of over 2 s
        List<Instant> times = all.stream().filter(e -> e.type.equals("jdk.SocketRead") && e.port == pgPort
                && e.thread.startsWith(phaseThread) && e.start.isAfter(after)).map(Ev::start).sorted().toList();
        to = times.get(0);
        for (Instant t : times) {
            if (Duration.between(to, t).toMillis() > Long.getLong("gapMillis", 2000)) break;
            to = t;
        }
        from = times.get(0);
        Instant start = to.minus(Duration.between(from, to).multipliedBy((long) (fraction * 1000)).dividedBy(1000));
        Instant end = to;
        long calls = all.stream().filter(e -> e.type.equals("jdk.SocketWrite") && e.thread.startsWith("vert.x-eventloop")
                && e.port != pgPort && within(e, start, end)).count();
        System.out.printf("window %s .. %s (%d ms), %d HTTP responses written (calls); phase ends %d%n", start, end,
                Duration.between(start, end).toMillis(), calls, end.toEpochMilli());
        Map<String, double[]> by = new TreeMap<>();
        Map<String, Integer> stacks = new TreeMap<>();
        for (Ev e : all) {
            if (!within(e, start, end)) continue;
            double[] a = by.computeIfAbsent(e.thread, k -> new double[6]);
            double ms = e.d.toNanos() / 1e6;
            switch (e.type) {
                case "jdk.SocketRead" -> a[e.port == pgPort ? 0 : 1] += ms;
                case "jdk.SocketWrite" -> a[2] += ms;
                case "jdk.ThreadPark" -> a[3] += ms;
                case "jdk.JavaMonitorWait" -> a[4] += ms;
                case "jdk.ExecutionSample" -> {
                    a[5] += 1;
                    stacks.merge(e.thread + " | " + e.top, 1, Integer::sum);
                }
                default -> { }
            }
        }
        System.out.println("| thread | DB read wait ms/call | other read ms/call | socket write ms/call | parked ms/call | Object.wait ms/call | CPU samples/call (≈ms) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<String, double[]> e : by.entrySet()) {
            double[] a = e.getValue();
            System.out.printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", e.getKey(), a[0] / calls, a[1] / calls,
                    a[2] / calls, a[3] / calls, a[4] / calls, a[5] / calls);
        }
        System.out.println("\nhottest sampled stacks (top frames), samples per call:");
        stacks.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(25)
                .forEach(s -> System.out.printf("%.3f  %s%n", s.getValue() / (double) calls, s.getKey()));
    }

    static boolean within(Ev e, Instant from, Instant to) {
        return !e.start.isBefore(from) && !e.start.isAfter(to);
    }

    static String frames(RecordedEvent e) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (var f : e.getStackTrace().getFrames()) {
            String m = f.getMethod().getType().getName();
            m = m.substring(m.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
            if (n++ > 0) b.append(" < ");
            b.append(m);
            if (n == 4) break;
        }
        return b.toString();
    }

    /** A pool's threads under one name: executor-thread-3 → executor-thread. */
    static String group(String name) {
        return name == null ? "?" : name.replaceAll("-\\d+$", "").replaceAll("\\d+$", "");
    }
}
