#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the study runner's tests and for trying '--executor slurm':
#   scripts/slurm-local.sh start|stop|status|env
# Debian's slurmctld, slurmd, slurm-client and munge (installed with apt-get when missing). No systemd: the
# daemons are started by hand and stopped by their pid files. munge runs with its own key and socket, passed
# to Slurm with AuthInfo=socket=...; proctrack/linuxproc and task/none need no cgroups; accounting storage is
# off (job states from scontrol/squeue, finished jobs in a jobcomp/filetxt log); kill_invalid_depend cancels a
# job whose afterok dependency can no longer be met instead of leaving it pending.
# State, config and logs live in $RELU_TORNADO_SLURM_DIR (default /tmp/relu-tornado-slurm). Clients need
#   export SLURM_CONF=$RELU_TORNADO_SLURM_DIR/slurm.conf      (what 'env' prints)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
dir=${RELU_TORNADO_SLURM_DIR:-/tmp/relu-tornado-slurm}
conf="$dir/slurm.conf"
node=$(hostname -s)
ctld_port=${RELU_TORNADO_SLURM_PORT:-16817}

install() {
  local missing=()
  for c in slurmctld slurmd sbatch munged; do command -v "$c" >/dev/null || missing+=("$c"); done
  [ ${#missing[@]} -eq 0 ] && return
  echo "slurm-local.sh: installing slurmctld slurmd slurm-client munge (missing: ${missing[*]})" >&2
  apt_get update -qq >&2
  apt_get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >&2
}

alive() { local pid; pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

configure() {
  mkdir -p "$dir/ctld" "$dir/d"
  local cpus mem user
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  user=$(id -un)
  cat > "$conf" <<CONF
# written by scripts/slurm-local.sh: a one-node cluster on $node
ClusterName=relutornado
SlurmctldHost=$node
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.sock
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
DependencyParameters=kill_invalid_depend
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
MinJobAge=600
NodeName=$node CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  install
  if alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid"; then
    echo "slurm-local.sh: already running ($conf)" >&2
    echo "export SLURM_CONF=$conf"
    return
  fi
  stop >/dev/null 2>&1 || true
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ ! -f "$dir/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge.key"
  fi
  munged --force --key-file="$dir/munge.key" --socket="$dir/munge.sock" --pid-file="$dir/munged.pid" \
    --log-file="$dir/munged.log" --seed-file="$dir/munged.seed"
  configure
  export SLURM_CONF="$conf"
  slurmctld -f "$conf"
  slurmd -f "$conf"
  for _ in $(seq 1 100); do
    state=$(sinfo --noheader --format=%T 2>/dev/null | head -1 || true)
    if [ "$state" = idle ]; then
      echo "slurm-local.sh: node $node idle ($conf)" >&2
      echo "export SLURM_CONF=$conf"
      return
    fi
    sleep 0.2
  done
  echo "slurm-local.sh: the node did not become idle in 20 s (state '${state:-none}'); logs in $dir" >&2
  tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  exit 1
}

stop() {
  local pid
  for d in slurmd slurmctld munged; do
    pid=$(cat "$dir/$d.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$dir/$d.pid"
  done
  echo "slurm-local.sh: stopped" >&2
}

status() {
  if alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid"; then
    SLURM_CONF="$conf" sinfo
  else
    echo "slurm-local.sh: not running" >&2
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) echo "usage: scripts/slurm-local.sh start|stop|status|env" >&2; exit 2 ;;
esac
