package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.AddDependency;
import dev.stigmergy.client.model.CompareRefs;
import dev.stigmergy.client.model.OverlapReport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * The scout: marks every job's {@code importance} and records which jobs depend on earlier ones as
 * {@code depends-on} links, so that the service's ready query holds a job back until every job it depends on
 * is done (has its {@code completion.replayed} mark). It runs before the workers start, and is then done.
 *
 * <p>A later job depends on an earlier one when both change a file: the service's edit-overlaps, run on the
 * scout's job refs (each job's version of its paths on one common base), reports the files both change.
 * Applying the jobs that share a file in their original order makes every cherry-pick take the commit's
 * version of its files exactly, so the replay is conflict-free and ends on the tip's tree. Hunks that are
 * apart would usually merge too, but git's diff may align them differently than history did; the file is the
 * unit that keeps the result byte-identical. Paths a job restores to the base's content are invisible on
 * that base, so the scout also joins jobs whose own path sets meet.
 */
final class Scout implements Callable<Void> {

    private static final int REFS_PER_CALL = 10; // the service compares at most 10 refs per call
    private final Colony colony;
    private final Medium medium;

    Scout(Colony colony, Medium medium) {
        this.colony = colony;
        this.medium = medium;
    }

    @Override
    public Void call() throws ApiException, IOException {
        List<Job> jobs = colony.jobs();
        Map<Integer, Set<Integer>> waitsFor = dependencies(jobs);
        for (Job job : jobs) {
            for (int earlier : waitsFor.getOrDefault(job.index(), Set.of())) {
                medium.dependencies().addDependency("job", job.key(), new AddDependency().dependsOn(jobs.get(earlier).entity()));
            }
            double importance = 1 + 9.0 * (jobs.size() - 1 - job.index()) / Math.max(1, jobs.size() - 1);
            Colony.deposit(medium, job, Signals.IMPORTANCE, importance, Map.of("commit", job.commit().name()));
        }
        colony.progress(String.format("scout  %s: %d jobs, %d wait for earlier jobs that change the same files",
                medium.agentId(), jobs.size(), waitsFor.size()));
        return null;
    }

    /** For each job, the earlier jobs it depends on (index → indexes). */
    private Map<Integer, Set<Integer>> dependencies(List<Job> jobs) throws ApiException, IOException {
        Map<String, Integer> byRef = new HashMap<>();
        List<String> refs = new ArrayList<>();
        for (Job job : jobs) {
            String ref = colony.repo.writeJobRef(job);
            byRef.put(ref, job.index());
            refs.add(ref);
        }
        Map<Integer, Set<Integer>> waitsFor = new HashMap<>();
        // every pair must be compared once: blocks of half a call, each block against itself and every later one
        int block = REFS_PER_CALL / 2;
        List<List<String>> blocks = new ArrayList<>();
        for (int i = 0; i < refs.size(); i += block) {
            blocks.add(refs.subList(i, Math.min(refs.size(), i + block)));
        }
        for (int a = 0; a < blocks.size(); a++) {
            for (int b = a + 1; b < Math.max(a + 2, blocks.size()); b++) {
                Set<String> call = new LinkedHashSet<>(blocks.get(a));
                if (b < blocks.size()) {
                    call.addAll(blocks.get(b));
                }
                if (call.size() < 2) {
                    continue;
                }
                List<OverlapReport> reports = medium.intents().editOverlaps(colony.environment,
                        new CompareRefs().refs(new ArrayList<>(call)).contextLines(0)).getPairs();
                for (OverlapReport report : reports) {
                    if (report.getFiles() != null && !report.getFiles().isEmpty()) {
                        link(waitsFor, byRef.get(report.getRefA()), byRef.get(report.getRefB()));
                    }
                }
            }
        }
        for (Job later : jobs) {
            for (Job earlier : jobs.subList(0, later.index())) {
                if (!Collections.disjoint(earlier.paths(), later.paths())) {
                    link(waitsFor, earlier.index(), later.index());
                }
            }
        }
        return waitsFor;
    }

    private static void link(Map<Integer, Set<Integer>> waitsFor, int x, int y) {
        waitsFor.computeIfAbsent(Math.max(x, y), k -> new TreeSet<>()).add(Math.min(x, y));
    }
}
