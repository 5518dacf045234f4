package dev.stigmergy.colony;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options the command refuses before it looks for a service (exit code 2, the reason on standard error). */
class ColonyCommandOptionsTest {

    @Test
    void generateReplacesRepoAndTakesOneToNineHundredNinetyNineEdits() {
        for (String[] args : new String[][] {{"--generate", "5", "--repo", "."}, {"--generate", "0"}, {"--generate", "1000"}}) {
            StringWriter err = new StringWriter();
            CommandLine command = new CommandLine(new ColonyCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
            command.setErr(new PrintWriter(err, true));

            int exit = command.execute(args);

            assertEquals(2, exit, String.join(" ", args));
            assertTrue(err.toString().contains("--generate takes 1-999 edits"), err.toString());
        }
    }
}
