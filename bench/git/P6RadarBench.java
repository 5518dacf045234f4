import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark beside P6 (issue 28): the conflict radar after one source ref moves. The script has built
 * {@code mrs} branches {@code mr-00 …} on a large tree and one prepared commit per round
 * ({@code refs/bench/next-<round>}, on top of the round's merge request). This program registers the repository as
 * an environment, opens one merge request per branch (target {@code bench-base}), then per round:
 * <ol>
 *   <li>moves the round's source ref to its prepared commit ({@code git update-ref});</li>
 *   <li>times {@code POST /environments/{env}/refs}: the service reads the refs, recomputes the moved merge
 *   request's {@code mrs - 1} pairs and commits their {@code merge_conflict_risk} pheromones and events before it
 *   answers, so the answer is the moment they are published;</li>
 *   <li>times {@code mrs - 1} sequential {@code git merge-tree --write-tree} calls on the same pairs (wall time,
 *   process start included, as P6) and, as a second baseline, the same calls two at a time (the machine has two
 *   cores);</li>
 * </ol>
 * the two alternating in order from round to round. It checks that the answer names all {@code mrs - 1} pairs as
 * recomputed and that the matrix's "git would conflict" agrees with merge-tree's exit status on every pair.
 *
 * <pre>java -cp 'target/quarkus-app/lib/main/*' P6RadarBench.java BASE_URL ADMIN_TOKEN REPO MRS ROUNDS</pre>
 */
public class P6RadarBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENV = "bench-radar";
    static final String TARGET = "bench-base";

    final HttpClient http = HttpClient.newHttpClient();
    final String base;
    final String token;
    final Path repo;

    P6RadarBench(String base, String token, Path repo) {
        this.base = base;
        this.token = token;
        this.repo = repo;
    }

    public static void main(String[] args) throws Exception {
        P6RadarBench bench = new P6RadarBench(args[0], args[1], Path.of(args[2]));
        int mrs = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        bench.run(mrs, rounds);
    }

    static String mr(int i) {
        return String.format("mr-%02d", i);
    }

    void run(int mrs, int rounds) throws Exception {
        call(token, "POST", "/environments", Map.of("name", ENV, "repository", repo.toString()), 201);
        String author = call(token, "POST", "/agents", Map.of("id", "bench-radar-author", "displayName", "bench",
                "roles", List.of("agent")), 201).get("token").asText();
        long t0 = System.nanoTime();
        for (int i = 0; i < mrs; i++) {
            call(author, "PUT", "/environments/" + ENV + "/merge-requests/" + mr(i),
                    Map.of("title", mr(i), "sourceRef", mr(i), "targetRef", TARGET), 201);
        }
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        JsonNode matrix = call(token, "GET", "/environments/" + ENV + "/merge-requests/conflicts", null, 200);
        System.out.printf("opened %d merge requests (%d pairs computed) in %.1f s; %d pairs collide%n",
                mrs, mrs * (mrs - 1) / 2, openSeconds, matrix.get("pairs").size());
        // warm-up of git's side (page cache, pack index); the service warmed up computing the pairs above
        for (int j = 1; j < Math.min(mrs, 10); j++) {
            mergeTree(mr(0), mr(j));
        }

        ExecutorService two = Executors.newFixedThreadPool(2);
        double[] service = new double[rounds];
        double[] git = new double[rounds];
        double[] git2 = new double[rounds];
        int disagreements = 0;
        int conflicting = 0;
        System.out.println("round  moved  service ms  git x" + (mrs - 1) + " ms  ratio  git 2-at-a-time ms  ratio  pairs git conflicts");
        for (int r = 0; r < rounds; r++) {
            int m = (r * 7) % mrs;
            String moved = mr(m);
            git("update-ref", "refs/heads/" + moved, "refs/bench/next-" + r);
            List<String> others = new ArrayList<>();
            for (int j = 0; j < mrs; j++) {
                if (j != m) {
                    others.add(mr(j));
                }
            }
            Map<String, Boolean> verdicts = null;
            JsonNode read = null;
            for (int step = 0; step < 2; step++) {
                if ((step == 0) == (r % 2 == 0)) {
                    long s = System.nanoTime();
                    read = call(token, "POST", "/environments/" + ENV + "/refs", null, 200);
                    service[r] = (System.nanoTime() - s) / 1e6;
                } else {
                    long s = System.nanoTime();
                    verdicts = new java.util.HashMap<>();
                    for (String other : others) {
                        verdicts.put(other, mergeTree(moved, other));
                    }
                    git[r] = (System.nanoTime() - s) / 1e6;
                    s = System.nanoTime();
                    List<Future<Boolean>> parallel = new ArrayList<>();
                    for (String other : others) {
                        parallel.add(two.submit(() -> mergeTree(moved, other)));
                    }
                    for (Future<Boolean> f : parallel) {
                        f.get();
                    }
                    git2[r] = (System.nanoTime() - s) / 1e6;
                }
            }
            if (read.get("recomputed").size() != mrs - 1) {
                throw new IllegalStateException("round " + r + ": " + read.get("recomputed").size()
                        + " pairs recomputed, expected " + (mrs - 1) + ": " + read);
            }
            matrix = call(token, "GET", "/environments/" + ENV + "/merge-requests/conflicts", null, 200);
            TreeSet<String> serviceConflicts = new TreeSet<>();
            for (JsonNode pair : matrix.get("pairs")) {
                String a = pair.get("a").asText();
                String b = pair.get("b").asText();
                if (pair.get("conflicts").asBoolean() && (a.equals(moved) || b.equals(moved))) {
                    serviceConflicts.add(a.equals(moved) ? b : a);
                }
            }
            int roundConflicts = 0;
            for (String other : others) {
                boolean gitConflicts = !verdicts.get(other);
                roundConflicts += gitConflicts ? 1 : 0;
                if (gitConflicts != serviceConflicts.contains(other)) {
                    disagreements++;
                }
            }
            conflicting += roundConflicts;
            System.out.printf("%5d  %s  %10.1f  %11.1f  %5.2f  %18.1f  %5.2f  %d%n", r, moved, service[r], git[r],
                    service[r] / git[r], git2[r], service[r] / git2[r], roundConflicts);
        }
        two.shutdown();
        double[] ratios = new double[rounds];
        double[] ratios2 = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = service[r] / git[r];
            ratios2[r] = service[r] / git2[r];
        }
        System.out.printf("service (POST refs, %d pairs recomputed and published): median %.1f ms, min %.1f, max %.1f%n",
                mrs - 1, median(service), min(service), max(service));
        System.out.printf("git merge-tree --write-tree x%d sequential: median %.1f ms, min %.1f, max %.1f%n",
                mrs - 1, median(git), min(git), max(git));
        System.out.printf("git merge-tree --write-tree x%d two at a time: median %.1f ms%n", mrs - 1, median(git2));
        System.out.printf("ratio service / sequential git: median %.2f x (min %.2f, max %.2f); goal <= 1.5 x: %s%n",
                median(ratios), min(ratios), max(ratios), median(ratios) <= 1.5 ? "met" : "missed");
        System.out.printf("ratio service / git two at a time: median %.2f x%n", median(ratios2));
        System.out.printf("agreement with merge-tree: %d disagreements on %d pairs (%d conflicting)%n",
                disagreements, rounds * (mrs - 1), conflicting);
    }

    /** true when merge-tree merges cleanly (exit 0), false on conflicts (exit 1). */
    boolean mergeTree(String a, String b) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "merge-tree", "--write-tree", a, b).directory(repo.toFile())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        int code = p.waitFor();
        if (code > 1) {
            throw new IllegalStateException("git merge-tree " + a + " " + b + " exited " + code);
        }
        return code == 0;
    }

    void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + out);
        }
    }

    JsonNode call(String bearer, String method, String path, Object body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
