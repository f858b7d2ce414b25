/**
 * Reports as XenServer users write them: what the host printed (error codes, log lines,
 * versions, commands, advisories), on the component a maintainer put them on. Written for the
 * evaluations of search (with {@link SEARCH_QUERIES}) and of component suggestions (they are its
 * triaged history). Some are near misses of others on purpose (XSA-30 and XSA-300, 8.2.1 and
 * 8.2.2.200), so ranking has to tell them apart.
 */
export interface EvaluationReport {
  key: string;
  component: string;
  title: string;
  description: string;
  comment?: string;
}

const r = (key: string, component: string, title: string, description: string, comment?: string): EvaluationReport => ({ key, component, title, description, comment });

export const XENSERVER_REPORTS: EvaluationReport[] = [
  // Security advisories and CVEs
  r('xsa300', 'xen', 'XSA-300: guest can exhaust host memory through ballooning', 'After applying the hotfix for XSA-300 a guest with a misbehaving balloon driver still takes all free memory of the host.'),
  r('xsa30', 'xen', 'Patch for XSA-30 does not apply on 4.1 branch', 'The XSA-30 patch (set_p2m_entry fix) fails to apply cleanly against the old 4.1 tree we still build.'),
  r('xsa297', 'xen', 'Hotfix for XSA-297 causes guests to stall on AMD hosts', 'Since installing the microarchitectural data sampling fix (XSA-297, CVE-2018-12126) HVM guests on EPYC hosts stall for seconds.'),
  r('cve1234', 'xen', 'Is XenServer 7.1 CU2 affected by CVE-2019-1234?', 'The advisory for CVE-2019-1234 lists Xen 4.7 and later. Which hotfix covers the LTSR?'),
  r('cve12345', 'dom0', 'CVE-2019-12345 in the dom0 openssl package', 'The openssl shipped in dom0 is flagged by our scanner for CVE-2019-12345. Is an updated package coming?'),
  r('cve3646', 'dom0', 'dom0 kernel vulnerable to CVE-2019-3646', 'Our audit reports CVE-2019-3646 against kernel 4.19.19 in dom0.', 'Same result from the Qualys scan on 8.0.'),
  r('xsa-in-comment', 'xen', 'HVM guest crashes during live migration with shadow paging', 'A Windows guest dies with a triple fault right after the migration finishes.', 'This is the problem fixed by XSA-273; install that hotfix.'),
  r('cve2017', 'xencenter', 'XenCenter bundles a vulnerable Newtonsoft.Json', 'XenCenter 7.6 ships Newtonsoft.Json 9.0.1, which is affected by CVE-2017-9424 style deserialisation issues.'),
  // Repositories and files
  r('centos-base-repo', 'dom0', 'yum update in dom0 fails: CentOS-Base.repo points to a dead mirror', 'After upgrading, /etc/yum.repos.d/CentOS-Base.repo still lists mirror.centos.org which no longer serves CentOS 7.'),
  r('epel-repo', 'dom0', 'Enabling epel.repo in dom0 breaks the next hotfix', 'I added epel.repo and installed htop; applying the next hotfix failed with a conflict on libnl.'),
  r('xensource-log', 'xapi', 'xensource.log fills /var/log within a day', 'On a pool of 16 hosts /var/log/xensource.log grows by 2 GB a day, filling the partition; logrotate runs too late.'),
  r('smlog', 'xapi/storage', 'SMlog shows repeated SR_BACKEND_FAILURE_47 on NFS SR', 'The SR goes offline every night. /var/log/SMlog: SR_BACKEND_FAILURE_47 The SR is not available [opterr=directory not mounted].'),
  r('sr-backend-46', 'xapi/storage', 'SR_BACKEND_FAILURE_46 when attaching an iSCSI SR', 'Attaching fails with SR_BACKEND_FAILURE_46: The VDI is not available [opterr=VDI already locked].'),
  r('sr-backend-47-comment', 'xapi/storage', 'Local storage unavailable after power cut', 'After the data centre lost power the local LVM SR does not plug.', 'The PBD plug error says SR_BACKEND_FAILURE_47, same as in the SMlog.'),
  r('vdi-io-error', 'xapi/storage', 'VDI_IO_ERROR when exporting a VM to XVA', 'xe vm-export stops at 60% with VDI_IO_ERROR: Device I/O errors, the disk is on a thin-provisioned SR.'),
  r('vdi-io-error-import', 'xapi/xe-cli', 'xe vm-import of large XVA fails with VDI_IO_ERROR', 'Running xe vm-import filename=big.xva sr-uuid=... aborts with VDI_IO_ERROR after 40 minutes.'),
  r('vdi-in-use', 'xapi/storage', 'VDI_IN_USE when deleting a snapshot', 'Deleting a snapshot from the chain fails with VDI_IN_USE even though no VM uses it.'),
  r('sr-full', 'xapi/storage', 'Coalesce never runs and the SR fills up', 'Leaf coalesce is skipped on our EXT SR and snapshots accumulate until the SR is full.'),
  r('inittab', 'dom0', 'Edits to /etc/sysconfig/network-scripts/ifcfg-eth0 lost at reboot', 'Changes to ifcfg-eth0 in dom0 are overwritten by the management interface settings on every boot.'),
  // Versions
  r('v8222rc1', 'installer', 'Installer 8.2.2.200-rc1 does not find NVMe disks', 'Booting the 8.2.2.200-rc1 ISO on a Dell R750 shows no target disk; the NVMe drives are not listed.'),
  r('v821', 'installer', 'Upgrade from 8.2.1 keeps the old partition layout', 'Upgrading an 8.2.1 host keeps the 4 GB root partition; the release notes say 18 GB.'),
  r('v82', 'xencenter', 'XenCenter 8.2 shows wrong licence expiry', 'Connected to a pool of 8.2 hosts, XenCenter shows the licence expired in 1970.'),
  r('v71cu2', 'xapi', 'Rolling pool upgrade from 7.1 CU2 stalls on the second host', 'The rolling pool upgrade wizard waits forever for host 2 after it rebooted into 8.2.'),
  r('v4112', 'xen', 'Xen 4.11.2 panics on boot with x2APIC enabled', 'Booting Xen 4.11.2 on a Supermicro board panics: (XEN) Panic on CPU 0: IO-APIC + timer doesn\'t work.'),
  r('v4-13', 'xen', 'Xen 4.13 nested virtualisation breaks Hyper-V guests', 'Windows guests with Hyper-V enabled fail to boot on Xen 4.13 with nestedhvm=1.'),
  r('kernel41919', 'dom0', 'dom0 kernel 4.19.19 oops in the igb driver', 'The dom0 kernel 4.19.19-7.0.9 prints an oops in igb_clean_rx_irq under load.'),
  r('pv9', 'pv-drivers', 'Windows PV drivers 9.0.0.73 cause a blue screen on Server 2019', 'After installing xenvbd 9.0.0.73 a Windows Server 2019 guest shows INACCESSIBLE_BOOT_DEVICE.'),
  r('pv8', 'pv-drivers', 'PV drivers 8.2.2 do not update through Windows Update', 'The management agent 8.2.2 never offers the newer xennet through Windows Update.'),
  r('debian-4-14', 'packaging/debian', 'xcp-xapi 1.3.2-15 in Debian fails to configure', 'dpkg --configure xcp-xapi 1.3.2-15 fails: xapi.conf references a missing path.'),
  r('ubuntu-1404', 'packaging/ubuntu', 'xcp-xapi on Ubuntu 14.04 cannot start xenopsd', 'On Ubuntu 14.04 the xcp-xapi package starts but xenopsd-xc exits with "No such file: /usr/lib/xen-4.4/bin/qemu-dm".'),
  // xe commands
  r('vm-start', 'xapi/xe-cli', 'xe vm-start hangs when the VM has a stale PCI device', 'xe vm-start uuid=... never returns if the VM still has a passed-through GPU that was removed.'),
  r('vm-start-restart', 'xapi/xenopsd', 'VM start fails after host restart: VM_BOOT_FAILED', 'Starting a VM after the host came back fails: VM_BOOT_FAILED, xenopsd says the domain builder ran out of memory.'),
  r('vm-shutdown', 'xapi/xe-cli', 'xe vm-shutdown --force leaves the domain running', 'After xe vm-shutdown --force the VM shows halted but xl list still lists the domain.'),
  r('vm-import', 'xapi/xe-cli', 'xe vm-import ignores preserve=true', 'Importing with xe vm-import preserve=true gives the VM new MAC addresses.'),
  r('vm-export', 'xapi/xe-cli', 'xe vm-export compress=true produces a corrupt file', 'xe vm-export vm=web01 filename=web01.xva compress=true gives a file that vm-import rejects.'),
  r('host-evacuate', 'xapi', 'xe host-evacuate leaves VMs with affinity behind', 'Running xe host-evacuate before maintenance migrates every VM but those with host affinity set.'),
  r('pool-join', 'xapi', 'xe pool-join fails with HOSTS_NOT_HOMOGENEOUS', 'Joining a new host to the pool fails: HOSTS_NOT_HOMOGENEOUS, CPU features differ (AVX512).'),
  r('sr-probe', 'xapi/xe-cli', 'xe sr-probe type=lvmoiscsi returns malformed XML', 'The output of xe sr-probe type=lvmoiscsi device-config:target=10.0.0.5 cannot be parsed; an IQN contains an ampersand.'),
  r('vif-plug', 'xapi/networkd', 'xe vif-plug fails on a VLAN network after bond change', 'After changing the bond mode xe vif-plug fails with PIF_IS_PHYSICAL on the VLAN 42 network.'),
  r('patch-apply', 'xapi', 'xe patch-pool-apply stuck at 99%', 'Applying XS82E031 with xe patch-pool-apply stays at 99% for hours; the task never completes.'),
  r('xe-help', 'xapi/xe-cli', 'xe help --all prints commands twice', 'The list from xe help --all repeats every vm- command.'),
  r('xl-list', 'xen', 'xl list shows a zombie domain after guest crash', 'After a guest crashed, xl list shows (null) with state -b---d and the memory is never freed.'),
  // Errors, codes and log lines
  r('handle-invalid', 'xapi', 'HANDLE_INVALID errors in XenCenter after a pool master change', 'After designating a new master, every action in XenCenter fails with HANDLE_INVALID(VM, OpaqueRef:...).'),
  r('session-invalid', 'xapi', 'SESSION_INVALID for long-running API clients', 'Our monitoring script gets SESSION_INVALID every 24 hours and has to log in again.'),
  r('vm-bad-power', 'xapi/xenopsd', 'VM_BAD_POWER_STATE when suspending a paused VM', 'Suspending a paused VM: VM_BAD_POWER_STATE, expected running, found paused.'),
  r('no-hosts', 'xapi', 'NO_HOSTS_AVAILABLE although two hosts have free memory', 'Starting a VM with 16 GB gives NO_HOSTS_AVAILABLE, yet host 2 has 40 GB free.'),
  r('migrate-failed', 'xapi/xenopsd', 'Live migration fails with VM_MIGRATE_FAILED between 8.2 hosts', 'Storage-less live migration between two 8.2 hosts fails: VM_MIGRATE_FAILED, xenopsd reports "Failed to read from the socket".'),
  r('internal-error-ocaml', 'xapi', 'INTERNAL_ERROR: Db_exn.Read_missing_uuid on VM.get_record', 'Calling VM.get_record on a VM that was just destroyed gives INTERNAL_ERROR(Db_exn.Read_missing_uuid("VM", "", "OpaqueRef:NULL")).'),
  r('license-check', 'xapi', 'LICENCE_RESTRICTION when enabling HA on free edition', 'Enabling HA: LICENCE_RESTRICTION(HA). The documentation said HA is in every edition.'),
  r('rrd-missing', 'xapi/rrdd', 'xcp-rrdd stops recording CPU usage for VMs', 'Graphs in XenCenter are flat for every VM; xcp-rrdd logs "rrd_updates: no datasources" since the upgrade.'),
  r('rrd-memory', 'xapi/rrdd', 'memory_internal_free data source reports zero', 'The RRD data source memory_internal_free is 0 for Linux guests with the guest agent running.'),
  r('rrdd-plugin', 'xapi/rrdd', 'rrdp-iostat plugin crashes with Failure "int_of_string"', 'xcp-rrdd-iostat exits with Failure("int_of_string") when a disk has no stats.'),
  r('squeezed-target', 'xapi/squeezed', 'squeezed ignores dynamic-min and balloons below it', 'squeezed sets the balloon target to 512 MB though memory-dynamic-min is 2 GB.'),
  r('squeezed-log', 'xapi/squeezed', 'squeezed logs "Failed to free 1048576 KiB" on every VM start', 'Each VM start logs squeezed: [error] Failed to free 1048576 KiB and the start takes 30 s more.'),
  r('balloon-stuck', 'xapi/squeezed', 'Memory ballooning stuck when a guest has no balloon driver', 'A guest without PV drivers blocks squeezed for every other VM on the host.'),
  r('networkd-bond', 'xapi/networkd', 'Active-backup bond does not fail over on link loss', 'Pulling the cable of eth0 in an active-backup bond leaves bond0 down; xcp-networkd does not switch to eth1.'),
  r('networkd-mtu', 'xapi/networkd', 'MTU 9000 on the storage network reverts to 1500', 'Setting MTU 9000 with xe network-param-set works until the host reboots, then xcp-networkd puts 1500 back.'),
  r('ovs-flows', 'xapi/networkd', 'openvswitch drops packets after 65535 flows', 'ovs-vswitchd logs "flow table full" and VMs lose connectivity on busy hosts.'),
  r('vlan-4095', 'xapi/networkd', 'Cannot create VLAN 4095 for trunking to a guest', 'xe vlan-create tag=4095 is refused with VLAN_TAG_INVALID.'),
  r('xenopsd-qemu', 'xapi/xenopsd', 'xenopsd leaves qemu-dm processes after VM shutdown', 'After shutting down HVM guests, qemu-dm-12 processes stay in dom0 and eat memory.'),
  r('xenopsd-suspend', 'xapi/xenopsd', 'Suspend image write fails with "No space left on device"', 'Suspending a 64 GB VM: xenopsd error Xenops_interface.Internal_error("No space left on device") although the SR has space.'),
  r('xenopsd-vgpu', 'xapi/xenopsd', 'vGPU VM fails to resume: demu exited', 'Resuming a VM with an NVIDIA vGPU fails: xenopsd says demu exited with code 1.'),
  r('xen-vcpu', 'xen', '(XEN) Assertion \'!local_irq_is_enabled()\' failed', 'The host crashes with (XEN) Assertion \'!local_irq_is_enabled()\' failed at smp.c:266 under heavy vCPU migration.'),
  r('xen-mce', 'xen', 'Machine check exception logged as MCE: bank 5 on Skylake', 'xl dmesg shows (XEN) MCE: CPU4 Bank5: 0xbe00000000800400 and the host reboots.'),
  r('xen-grant', 'xen', 'Grant table exhaustion with many VIFs', 'Guests with 8 VIFs log "grant table full" and netfront stops; gnttab_max_frames=64 helps.'),
  r('xen-efi', 'xen', 'UEFI boot of Xen fails on Lenovo SR650', 'Xen does not boot with EFI on the SR650: the screen stays black after "Xen 4.13 (c/s ) EFI loader".'),
  // XenCenter
  r('xc-crash', 'xencenter', 'XenCenter crashes with NullReferenceException opening the Performance tab', 'System.NullReferenceException: Object reference not set to an instance of an object. at XenAdmin.TabPages.PerformancePage.'),
  r('xc-console', 'xencenter', 'XenCenter console shows a black screen for UEFI guests', 'The Console tab stays black for UEFI Windows 10 guests; the VNC console from the CLI works.'),
  r('xc-ssl', 'xencenter', 'XenCenter refuses a host certificate with SHA-1', 'Connecting to an old 6.5 host: "The server certificate is not trusted". The certificate is SHA-1.'),
  r('xc-dpi', 'xencenter', 'XenCenter is blurry on 4K displays at 150% scaling', 'Every dialog of XenCenter is blurry when Windows scales at 150%.'),
  r('xc-wlb', 'xencenter', 'Workload Balancing reports cannot be exported to PDF', 'WLB pool health report export to PDF gives an empty file.'),
  r('xc-rbac', 'xencenter', 'Read-only RBAC users see a Start button that fails', 'A user with read-only role sees Start on VMs and gets RBAC_PERMISSION_DENIED when clicking.'),
  // PV drivers
  r('pv-xennet', 'pv-drivers', 'xennet driver loses the static IP after driver update', 'Updating xennet resets the guest to DHCP; the static IP configuration is lost.'),
  r('pv-xenvbd', 'pv-drivers', 'xenvbd: Windows event 129 reset to device under storage load', 'Under heavy I/O the guest logs event 129 "Reset to device, \\Device\\RaidPort0, was issued" from xenvbd.'),
  r('pv-agent', 'pv-drivers', 'Management agent reports wrong IP address for IPv6 only guests', 'The XenServer management agent reports 169.254.x.x for guests with only IPv6 configured.'),
  r('pv-xenbus', 'pv-drivers', 'xenbus driver fails to install on Windows 11 with Secure Boot', 'Setup of xenbus ends with error 0xe0000242: the driver signature is not accepted with Secure Boot on.'),
  // Installer
  r('inst-raid', 'installer', 'Installer does not see a software RAID created in the BIOS', 'The installer lists the two disks separately instead of the Intel RST RAID 1 volume.'),
  r('inst-answerfile', 'installer', 'Answer file with <network-backend>vswitch</network-backend> ignored', 'Unattended install via PXE answerfile: the network-backend element is ignored and bridge is used.'),
  r('inst-uefi', 'installer', 'Installer fails to boot in UEFI mode from USB created with dd', 'Writing the ISO with dd to a USB stick and booting in UEFI mode gives "no bootable device".'),
  r('inst-gpt', 'installer', 'Installation on a 4 TB disk creates MBR partitions', 'The installer creates an MBR table on a 4 TB disk, so only 2 TB is usable for local storage.'),
  // dom0 base system
  r('dom0-ntp', 'dom0', 'chronyd in dom0 does not sync with a Windows NTP server', 'chronyc sources shows ^? for our Windows DC; ntpdate works.'),
  r('dom0-sshd', 'dom0', 'sshd in dom0 accepts ssh-rsa with SHA-1 signatures', 'Security scan: dom0 sshd offers ssh-rsa host key algorithm; we need it disabled.'),
  r('dom0-lvm', 'dom0', 'lvm2 in dom0 prints "WARNING: Device /dev/sdb has size of 0 sectors"', 'Every xe command logs the lvm2 warning about /dev/sdb after a multipath path failed.'),
  r('dom0-multipath', 'dom0', 'multipathd in dom0 does not recover paths after FC switch reboot', 'After rebooting one FC switch, multipath -ll shows failed faulty paths for hours.'),
  r('dom0-python', 'dom0', 'dom0 ships python 2.7 only; scripts need python3', 'Our tooling in dom0 requires python3.6; installing it from CentOS repos conflicts.'),
  r('dom0-openssl', 'dom0', 'openssl in dom0 rejects TLS 1.3 clients', 'stunnel in dom0 uses openssl 1.0.2k which cannot speak TLS 1.3.'),
  // Packaging
  r('pkg-rpm', 'packaging', 'xe-guest-utilities RPM has a wrong %post scriptlet', 'Installing xe-guest-utilities-7.20.0-9.x86_64.rpm on Rocky 9 fails in the %post scriptlet: chkconfig: command not found.'),
  r('pkg-deb-utils', 'packaging', 'xe-guest-utilities .deb does not start the daemon on Debian 12', 'The xe-guest-utilities_7.30.0-11_amd64.deb installs, but xe-linux-distribution.service is never enabled.'),
  r('pkg-sources', 'packaging', 'Source RPMs for 8.2 hotfixes are not published', 'The source RPMs of XS82E020 are not on the download site, as the GPL requires.'),
  r('deb-xapi-systemd', 'packaging/debian', 'Debian xcp-xapi package ships a sysvinit script only', 'On Debian 9 the xcp-xapi package has /etc/init.d/xcp-xapi but no systemd unit.'),
  r('deb-ocaml', 'packaging/debian', 'xcp-xapi FTBFS with OCaml 4.05 in Debian unstable', 'The build of xcp-xapi 1.3.2-15 in sid fails: Error: Unbound module Stdext.'),
  r('deb-xe-bash', 'packaging/debian', 'bash completion for xe missing from the Debian package', 'The xe-cli Debian package does not install /etc/bash_completion.d/xe.'),
  r('ubuntu-ppa', 'packaging/ubuntu', 'Ubuntu xcp-xapi depends on a xen-hypervisor-4.1 that no longer exists', 'On Ubuntu 16.04 apt-get install xcp-xapi fails: Depends: xen-hypervisor-4.1-amd64 but it is not installable.'),
  r('ubuntu-apparmor', 'packaging/ubuntu', 'AppArmor profile blocks xcp-xapi from writing /var/lib/xcp', 'On Ubuntu 18.04 apparmor denies xapi writing /var/lib/xcp/state.db.'),
  r('ubuntu-netplan', 'packaging/ubuntu', 'xcp-networkd conflicts with netplan on Ubuntu 20.04', 'xcp-networkd rewrites /etc/network/interfaces, which netplan on 20.04 ignores.'),
  // More XAPI
  r('ha-fence', 'xapi', 'HA fences the master when the heartbeat SR is slow', 'With HA enabled the master reboots itself when the iSCSI heartbeat SR latency exceeds 30 s (xha: "Fencing").'),
  r('db-sync', 'xapi', 'Pool database sync takes minutes with 3000 VMs', 'Slaves log "db_sync: took 240 s" and become unresponsive during the database replication.'),
  r('cert-expiry', 'xapi', 'Host certificate expired: xapi-ssl.pem not renewed', 'The self-signed /etc/xensource/xapi-ssl.pem expired after 10 years; xe host-refresh-server-certificate is missing.'),
  r('api-version', 'xapi', 'XenAPI Python bindings send XML-RPC with wrong API version', 'XenAPI.py from the SDK sends api_version 2.20 and 8.2 rejects VM.set_NVRAM with MESSAGE_METHOD_UNKNOWN.'),
  r('tasks-leak', 'xapi', 'Tasks pile up: xe task-list shows thousands of pending tasks', 'After a week, xe task-list shows 5000 tasks in pending state created by our backup tool.'),
  r('vm-snapshot-quiesce', 'xapi/storage', 'vm-snapshot-with-quiesce fails with VSS error 0x8004230f', 'Quiesced snapshots of Windows 2016 guests fail: VSS_PROVIDER error 0x8004230f.'),
  r('cbt', 'xapi/storage', 'Changed block tracking bitmap lost after storage migration', 'After migrating a VDI with CBT enabled to another SR, vdi-list-changed-blocks returns the whole disk.'),
  r('thin-lvhd', 'xapi/storage', 'Thin provisioned LVHD over iSCSI deflates too late', 'With thin LVHD the SR runs out of space though VMs use half of it; the inflate/deflate daemon lags.'),
  r('nfs-v4', 'xapi/storage', 'NFS v4.1 SR fails to attach: mount.nfs: Protocol not supported', 'xe sr-create type=nfs device-config:nfsversion=4.1 gives mount.nfs: Protocol not supported.'),
  r('gfs2', 'xapi/storage', 'GFS2 SR goes read-only after a node leaves the cluster', 'When one host of the cluster is fenced, the GFS2 SR on the others becomes read-only.'),
  r('feature-dark-mode', 'xencenter', 'XenCenter should follow the Windows dark theme', 'Please support a dark theme in XenCenter, matching Windows settings.'),
  r('feature-tags', 'xapi', 'Support key-value tags on VMs in the API', 'VM.tags is a set of strings; we need key=value pairs to drive our automation.'),
  r('feature-ipv6', 'xapi/networkd', 'IPv6 for the management interface', 'Allow the management interface to use IPv6 only; today xcp-networkd needs IPv4.'),
  r('feature-rrd-prometheus', 'xapi/rrdd', 'Export RRD metrics in Prometheus format', 'A /metrics endpoint for xcp-rrdd data sources would let us drop our scraper.'),
  r('feature-xe-json', 'xapi/xe-cli', 'xe should print JSON with --json', 'xe vm-list --minimal is hard to parse; a --json option for every list command would help.'),
  r('feature-squeezed-policy', 'xapi/squeezed', 'Per-VM ballooning priority in squeezed', 'Let squeezed take memory from low-priority VMs first when a new VM needs it.'),
];
