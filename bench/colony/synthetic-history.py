# A synthetic large history for bench/colony/scan.sh (no large real history is reachable here): 20 000 C files in 400
# directories (8 hot ones of 3 000 lines), then 300 commits of 1-12 line edits, 30 % on the hot files, a new file every
# 25th commit. Usage: git init -q big && python3 bench/colony/synthetic-history.py | git -C big fast-import --quiet &&
#   git -C big symbolic-ref HEAD refs/heads/main
import random, sys
random.seed(7)
N_FILES = 20000
DIRS = 400
out = sys.stdout.buffer
files = {}
def blob(lines):
    data = ("\n".join(lines) + "\n").encode()
    out.write(b"data %d\n" % len(data)); out.write(data); out.write(b"\n")
paths = []
for i in range(N_FILES):
    d = "src/mod%03d" % (i % DIRS)
    p = "%s/file%05d.c" % (d, i)
    n = 3000 if i < 8 else random.randint(40, 200)
    files[p] = ["/* %s line %d */ int v%d_%d = %d;" % (p, j, i, j, j) for j in range(n)]
    paths.append(p)
t = 1700000000
def commit(msg, changed):
    global t
    t += 60
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Dev <dev@example.org> %d +0000\n" % t)
    m = msg.encode(); out.write(b"data %d\n%s\n" % (len(m), m))
    for p in changed:
        if p in files:
            out.write(("M 100644 inline %s\n" % p).encode()); blob(files[p])
        else:
            out.write(("D %s\n" % p).encode())
commit("initial import", paths)
hot = paths[:8]
for c in range(1, 301):
    changed = set()
    for _ in range(random.randint(1, 12)):
        p = random.choice(hot) if random.random() < 0.3 else random.choice(paths)
        lines = files[p]
        at = random.randrange(len(lines))
        for k in range(random.randint(1, 4)):
            if at + k < len(lines):
                lines[at + k] = "/* edited by commit %d */ int e%d_%d = %d;" % (c, c, k, random.randint(0, 99999))
        changed.add(p)
    if c % 25 == 0:
        newp = "src/new/added%03d.c" % c
        files[newp] = ["int added_%d_%d;" % (c, j) for j in range(50)]
        changed.add(newp)
    commit("commit %d" % c, sorted(changed))
