# The image the GitHub Action runs (sextantdb/sextant:<tag>, see internal/ci/wrappers) and that
# the GitLab and CircleCI wrappers use: the sextant binary plus PostgreSQL server binaries, so
# the default dev database, local://postgres, works inside the container with no service
# container beside it.
#
#   make image VERSION=0.1.0
#
# The binary is built outside (static, CGO_ENABLED=0, see the Makefile's image target) and
# the build context is the folder that holds it: the image needs no Go toolchain image, and
# the binary in it is byte for byte the one the release ships.
#
# Base images are named without a registry host, like the image itself: Docker Hub's implicit
# form, which a pull-through mirror configured for Docker Hub serves as well.

# bookworm's own PostgreSQL is 15: Debian's postgresql-15 puts postgres and initdb in
# /usr/lib/postgresql/15/bin, where the local dev database looks for them
# (internal/devdb/local_bin.go), and creates the postgres system user the server runs as. The
# contrib extensions (pgcrypto, hstore, citext …) are part of that package, which provides
# postgresql-contrib-15. The slim image keeps the rest small.
FROM debian:bookworm-slim

# createcluster.d: the package would otherwise create the distribution's own cluster, 15/main,
# at install time; Sextant starts throw-away clusters of its own and that one would only add
# some 40 MB to every pull. ca-certificates: HTTPS to the registry server and the GitHub/GitLab
# APIs. git: the base commit of a pull request and git:// schema sources. safe.directory: CI
# systems mount the checkout owned by their runner's account (GitHub: uid 1001) while the
# container runs as root, and git refuses to read a repository another user owns ("dubious
# ownership"); the image holds no repository of its own that this would expose.
RUN set -eux; \
	mkdir -p /etc/postgresql-common/createcluster.d; \
	echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/90-sextant-no-main-cluster.conf; \
	apt-get update; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		postgresql-15 ca-certificates git; \
	rm -rf /var/lib/apt/lists/*; \
	test -x /usr/lib/postgresql/15/bin/postgres; \
	test -x /usr/lib/postgresql/15/bin/initdb; \
	test -f /usr/share/postgresql/15/extension/pgcrypto.control; \
	id postgres; \
	git config --system --add safe.directory '*'

# Without TMPDIR the local dev database puts its clusters in /dev/shm, which Docker limits to
# 64 MB per container unless told otherwise (and a CI runner does not tell it). A fresh
# cluster takes some 40 MB, each scratch database about 8 MB more, and the server's dynamic
# shared memory lives there as well, so a run would end in "No space left on device". /tmp is
# the container's own writable layer.
ENV TMPDIR=/tmp

COPY sextant /usr/local/bin/sextant

# No USER: the container runs as root, on purpose.
#  - GitHub runs container actions as the image's user and documents that it must be the
#    default, root: another user cannot write the mounted workspace or the files behind
#    $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY, which belong to the runner's account. GitLab and
#    CircleCI likewise mount checkouts owned by whoever their runner is.
#  - PostgreSQL still never runs as root: the local dev database sees that it is root and
#    starts initdb and postgres as the postgres system user, handing their directories to it
#    (serverUser and runAs in internal/devdb/local_proc.go).
ENTRYPOINT ["/usr/local/bin/sextant"]
