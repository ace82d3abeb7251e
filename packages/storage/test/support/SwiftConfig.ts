/**
 * Configuration files of a one-node OpenStack Swift (2.30) for tests: the
 * S3 API with tempauth in the proxy, and account, container and object
 * servers on one device, one replica.
 */

/** The three storage servers behind the proxy, each with its own ring. */
export const storageServers = ["account", "container", "object"] as const

/** One of the storage servers. */
export type StorageServer = (typeof storageServers)[number]

/** Ports, directories and credentials of one Swift instance. */
export interface SwiftSettings {
  /** Holds the configs, `swift.conf`, the rings and the `devices/` directory. */
  readonly directory: string
  readonly proxyPort: number
  readonly storagePorts: Readonly<Record<StorageServer, number>>
  readonly memcachedPort: number
  /** UDP port on 127.0.0.1 that receives the servers' syslog messages. */
  readonly logPort: number
  /** User the servers switch to after binding: the user running the test. */
  readonly user: string
  /** tempauth account, user and key. The S3 access key is `account:user`. */
  readonly account: string
  readonly userName: string
  readonly key: string
  /** Random salt per instance, which Swift mixes into every partition hash. */
  readonly hashSalt: string
}

/** The device name in every ring and under `devices/`. */
export const deviceName = "d1"

/** Settings shared by every server: loopback only, one process, no mount check, syslog over UDP to the test. */
const defaultSection = (settings: SwiftSettings, port: number): string => `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
user = ${settings.user}
swift_dir = ${settings.directory}
devices = ${settings.directory}/devices
mount_check = false
log_udp_host = 127.0.0.1
log_udp_port = ${settings.logPort}
`

/** `swift.conf`: the hash salt and the single storage policy. */
export const swiftConf = (settings: SwiftSettings): string => `[swift-hash]
swift_hash_path_suffix = ${settings.hashSalt}
swift_hash_path_prefix = ${settings.hashSalt}

[storage-policy:0]
name = Policy-0
default = yes
`

/** `<server>-server.conf` of a storage server, with a `/healthcheck` in front of it. */
export const storageServerConf = (settings: SwiftSettings, server: StorageServer): string => `${defaultSection(
  settings,
  settings.storagePorts[server]
)}
[pipeline:main]
pipeline = healthcheck ${server}-server

[app:${server}-server]
use = egg:swift#${server}

[filter:healthcheck]
use = egg:swift#healthcheck
`

/**
 * `proxy-server.conf`: the S3 API (`s3api`) before `tempauth`, which checks
 * S3 signatures against the user's key and needs memcached. The
 * middlewares Swift would otherwise insert (`dlo`, `versioned_writes`) are
 * listed, and `slo` too, which s3api needs for multipart uploads.
 */
export const proxyServerConf = (settings: SwiftSettings): string => `${defaultSection(settings, settings.proxyPort)}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:tempauth]
use = egg:swift#tempauth
user_${settings.account}_${settings.userName} = ${settings.key} .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${settings.memcachedPort}

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
`
