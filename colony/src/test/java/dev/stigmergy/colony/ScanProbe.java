package dev.stigmergy.colony;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bench/colony/scan.sh: times the scout's analysis of a repository's last N first-parent commits without a service —
 * the scratch clone, the tree diffs, the first job's dependencies and all of them, at file and hunk level.
 */
public final class ScanProbe {

    private ScanProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("colony-scan");
        long start = System.nanoTime();
        try (ReplayRepository repo = ReplayRepository.prepare(Path.of(args[0]), scratch.resolve("clone"), Integer.parseInt(args[1]), "probe")) {
            long prepared = System.nanoTime();
            ChangeScan scan = repo.scan();
            long scanned = System.nanoTime();
            long first = 0;
            int links = 0;
            int fileLinks = 0;
            for (int i = 0; i < scan.size(); i++) {
                scan.job(i);
                fileLinks += scan.fileLevel(i).size();
                links += scan.hunkLevel(i).size();
                if (i == 0) {
                    first = System.nanoTime();
                }
            }
            long end = System.nanoTime();
            System.out.printf("%d commits: clone %d ms, tree diffs %d ms, first job's dependencies at %d ms, all at %d ms; "
                            + "links %d at hunk level, %d at file level%n", scan.size(), (prepared - start) / 1_000_000,
                    (scanned - prepared) / 1_000_000, (first - start) / 1_000_000, (end - start) / 1_000_000, links, fileLinks);
        }
    }
}
