-- Boards and playlists that admins compose (server/contract/boards.ts); built-in boards live in code.
-- `spec` is the validated JSON of the board or playlist, name included; `name` is kept beside it for listing.
CREATE TABLE IF NOT EXISTS boards (
  id          VARCHAR PRIMARY KEY,
  name        VARCHAR NOT NULL,
  spec        VARCHAR NOT NULL,
  updated_ms  BIGINT NOT NULL,
  updated_by  VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS playlists (
  id          VARCHAR PRIMARY KEY,
  name        VARCHAR NOT NULL,
  spec        VARCHAR NOT NULL,
  updated_ms  BIGINT NOT NULL,
  updated_by  VARCHAR NOT NULL
);
