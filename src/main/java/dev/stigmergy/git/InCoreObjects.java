package dev.stigmergy.git;

import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PackParser;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * An object inserter that keeps what it inserts in memory, and a reader that sees those objects over the
 * repository's own. A trial merge writes its virtual merge base's blobs and trees here: nothing reaches the
 * repository, and everything is garbage once the comparison ends.
 */
final class InCoreObjects extends ObjectInserter {

    private record Stored(int type, byte[] bytes) {
    }

    private final Repository repository;
    private final Map<ObjectId, Stored> objects = new HashMap<>();

    InCoreObjects(Repository repository) {
        this.repository = repository;
    }

    @Override
    public ObjectId insert(int type, long length, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(Math.toIntExact(length));
        if (bytes.length != length) {
            throw new IOException("short object: " + bytes.length + " of " + length + " bytes");
        }
        ObjectId id = idFor(type, bytes);
        objects.putIfAbsent(id, new Stored(type, bytes));
        return id;
    }

    @Override
    public ObjectId insert(int type, byte[] data, int off, int len) {
        byte[] bytes = java.util.Arrays.copyOfRange(data, off, off + len);
        ObjectId id = idFor(type, bytes);
        objects.putIfAbsent(id, new Stored(type, bytes));
        return id;
    }

    @Override
    public PackParser newPackParser(InputStream in) {
        throw new UnsupportedOperationException("an in-core trial merge receives no packs");
    }

    /** A reader of the in-memory objects first, then of the repository. Close it after use. */
    @Override
    public ObjectReader newReader() {
        ObjectReader repositoryReader = repository.newObjectReader();
        return new ObjectReader.Filter() {
            @Override
            protected ObjectReader delegate() {
                return repositoryReader;
            }

            @Override
            public ObjectReader newReader() {
                return InCoreObjects.this.newReader();
            }

            @Override
            public boolean has(AnyObjectId id) throws IOException {
                return objects.containsKey(id.toObjectId()) || repositoryReader.has(id);
            }

            @Override
            public boolean has(AnyObjectId id, int type) throws IOException {
                Stored stored = objects.get(id.toObjectId());
                return stored != null ? stored.type() == type : repositoryReader.has(id, type);
            }

            @Override
            public ObjectLoader open(AnyObjectId id) throws IOException {
                return open(id, ObjectReader.OBJ_ANY);
            }

            @Override
            public ObjectLoader open(AnyObjectId id, int type) throws MissingObjectException, IncorrectObjectTypeException, IOException {
                Stored stored = objects.get(id.toObjectId());
                if (stored == null) {
                    return repositoryReader.open(id, type);
                }
                if (type != ObjectReader.OBJ_ANY && stored.type() != type) {
                    throw new IncorrectObjectTypeException(id.toObjectId(), type);
                }
                return new ObjectLoader.SmallObject(stored.type(), stored.bytes());
            }

            @Override
            public long getObjectSize(AnyObjectId id, int type) throws IOException {
                Stored stored = objects.get(id.toObjectId());
                return stored != null ? stored.bytes().length : repositoryReader.getObjectSize(id, type);
            }

            @Override
            public ObjectInserter getCreatedFromInserter() {
                return InCoreObjects.this;
            }
        };
    }

    @Override
    public void flush() {
        // nothing to flush: the objects live only as long as this inserter
    }

    @Override
    public void close() {
        // kept until this instance is dropped: JGit's merger closes its inserter when its merge ends, and the
        // comparison reads the virtual base after that
    }
}
