package dev.stigmergy.stig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code stig install-hooks}: git pre-commit and pre-push hooks that run {@code stig verify}. */
@Command(name = "install-hooks", mixinStandardHelpOptions = true,
        description = "Install git pre-commit and pre-push hooks in this repository that run stig verify: a commit "
                + "or push touching lines another agent holds at L3/L4 is refused. An existing hook that stig did not "
                + "write is kept unless --force.",
        footer = {"", "Example:", "  stig install-hooks", "  stig install-hooks --force"})
final class InstallHooksCommand extends StigCommand {

    static final String MARK = "# installed by stig install-hooks";

    @Option(names = "--force", description = "replace hooks stig did not write")
    boolean force;

    @Override
    int run() throws Exception {
        Path root = settings().repositoryRoot();
        if (root == null) {
            throw new StigException(Exit.USAGE, "not inside a git repository");
        }
        Path hooks = root.resolve(GitChanges.git(root, "rev-parse", "--git-path", "hooks").trim());
        Files.createDirectories(hooks);
        // the launcher's absolute path (bin/stig exports it), so hooks work without stig on git's PATH
        String stig = System.getenv().getOrDefault("STIG_LAUNCHER", "stig");
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("pre-commit", "#!/bin/sh\n" + MARK + ": refuses a commit whose staged hunks touch lines another\n"
                + "# agent holds at L3/L4 (exit 3), or when the service cannot be reached (fail closed).\n"
                + "exec '" + stig + "' verify\n");
        scripts.put("pre-push", "#!/bin/sh\n" + MARK + ": refuses a push whose commits touch lines another agent\n"
                + "# holds at L3/L4. git gives the pushed refs on standard input.\n"
                + "exec '" + stig + "' verify --pre-push\n");
        for (Map.Entry<String, String> hook : scripts.entrySet()) {
            Path file = hooks.resolve(hook.getKey());
            if (Files.exists(file) && !Files.readString(file).contains(MARK) && !force) {
                throw new StigException(Exit.USAGE, file + " exists and was not written by stig: use --force to replace it");
            }
            Files.writeString(file, hook.getValue());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        print(Map.of("hooks", List.copyOf(scripts.keySet()), "directory", hooks.toString(), "stig", stig),
                "installed pre-commit and pre-push in " + hooks + " (running " + stig + ")");
        return Exit.DONE;
    }
}
