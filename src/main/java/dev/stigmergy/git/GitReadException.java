package dev.stigmergy.git;

import dev.stigmergy.api.StigmergyException;

/** A repository could not be read (missing, corrupt, I/O failure): the one wrapper for low-level faults. */
public class GitReadException extends StigmergyException {

    public GitReadException(String detail, Throwable cause) {
        super(422, "/problems/git-read", "Repository not readable", detail);
        initCause(cause);
    }
}
