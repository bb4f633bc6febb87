#!/usr/bin/env bash
# Proves `sweep` on real engines on this machine, as root (CI's user): a single-node Slurm cluster
# (munge, slurmctld, slurmd) runs a 2x2 grid, one task is sent SIGTERM and the same job array
# resubmitted resumes it to the very weights of an uninterrupted run; GNU parallel spreads a sweep
# over this machine's own sshd and `:`. Everything it starts listens on 127.0.0.1 only, its
# configuration lives in a temporary folder (nothing under /etc is written), and every daemon it
# started is stopped on exit, failed or not. Prints PASS/FAIL lines; exits 1 on the first failure.
# Needs the release build (`swift build -c release`, as CI does before). SCALE_KEEP=1 keeps the
# temporary folder (data, logs, run folders) for a look afterwards.
set -euo pipefail
# Runs compared byte for byte with runs started apart plan with the fixed algorithm rules: two
# autotuned plans timed at the same moment may choose differently and round differently.
export BENCH_AUTOTUNE=off
# A command that stops the script under set -e says which, rather than leaving a bare FAIL.
set -E
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
repo=$PWD
bin=$repo/.build/release
started=$SECONDS

# The runs: Fashion-MNIST's first 2400 training and 400 test images (a second's epoch on one
# thread), StandardCNN, one thread each so that a run is reproduced bit for bit.
train_images=2400
test_images=400
epochs=12
grid=(--grid learning_rate=0.01,0.05 --grid batch_size=50,100)

pass() { echo "PASS: $*"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
info() { echo "      $*"; }

# waits up to $1 seconds for the command after it to succeed; fails naming $2 otherwise.
wait_for() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || fail "$what: not within ${seconds}s"
        sleep 0.2
    done
}

# --- cleanup: whatever was started, stopped, even after a failure --------------------------------

work=""
created_run_sshd=false
created_policy=false
background_sweep=""
slurm_up=false

# A daemon by the pid file it wrote: TERM, then KILL if it lingers; only the pid we started.
stop_pidfile() {
    local name=$1 file=$2 pid
    [[ -s $file ]] || return 0
    pid=$(<"$file")
    kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    echo "      $name ($pid) ignored SIGTERM: killed" >&2
    kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    set +e
    if [[ -n $background_sweep ]]; then kill "$background_sweep" 2>/dev/null; fi
    if [[ -n $work ]]; then
        # Jobs first, so that slurmd does not leave training processes behind.
        if $slurm_up; then scancel --user "$(id -un)" 2>/dev/null; fi
        stop_pidfile slurmd "$work/slurm/slurmd.pid"
        stop_pidfile slurmctld "$work/slurm/slurmctld.pid"
        stop_pidfile munged "$work/munge/munged.pid"
        stop_pidfile sshd "$work/ssh/sshd.pid"
        if ((status != 0)); then
            for log in slurm/slurmctld.log slurm/slurmd.log ssh/sshd.log; do
                [[ -s $work/$log ]] || continue
                echo "--- last lines of $log" >&2
                tail -n 15 "$work/$log" >&2
            done
        fi
        if [[ ${SCALE_KEEP:-} == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
    fi
    # sshd's privilege-separation folder and apt's service policy, where this script made them.
    if $created_run_sshd; then rmdir /run/sshd 2>/dev/null; fi
    if $created_policy; then rm -f /usr/sbin/policy-rc.d; fi
    echo "test_scale: $( ((status == 0)) && echo PASS || echo FAIL ) in $((SECONDS - started)) s"
    exit "$status"
}
trap cleanup EXIT
# Killed (CI's timeout, Ctrl-C): exit, so that the cleanup above runs.
trap 'exit 143' TERM
trap 'exit 130' INT

# --- machine ---------------------------------------------------------------------------------------

# Root: slurmd runs jobs as their users, apt-get installs the engines (with sudo, as setup.sh does).
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "needs root (slurmd, apt-get) or sudo"
    trap - EXIT
    exec sudo --preserve-env=PATH,OPENBLAS_CORETYPE,SCALE_KEEP "$repo/scripts/test_scale.sh" "$@"
fi
for command in sweep train_classifier compare_runs; do
    [[ -x $bin/$command ]] || fail "$bin/$command missing: run swift build -c release first"
done

# Only what is missing, so that a second run needs no network. (iproute2: ss, to find free ports.)
install_engines() {
    local packages=(slurm-wlm munge openssh-server parallel iproute2 openmpi-bin libopenmpi-dev) missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        # The packages must not start their own daemons (munged on the system's key, sshd on port 22 of
        # every interface, slurmd): policy-rc.d's 101 forbids it, where no policy is in place already.
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
            chmod 755 /usr/sbin/policy-rc.d
            created_policy=true
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        if $created_policy; then
            rm -f /usr/sbin/policy-rc.d
            created_policy=false
        fi
        pass "installed ${missing[*]}"
    else
        pass "${packages[*]} already installed"
    fi
}

# The first free TCP port from $1 on: another cluster or sshd on this machine keeps its own.
free_port() {
    local port=$1
    while [[ -n $(ss -Htln "sport = :$port") ]]; do port=$((port + 1)); done
    echo "$port"
}

# An idx file of MNIST's format: magic, count and sizes big-endian, then the first items of the
# real file; $5 is the header's length in the source (16 for images, 8 for labels).
idx_subset() {
    local source=$1 target=$2 magic=$3 count=$4 header=$5 item=$6
    {
        printf "$magic"
        printf "$(printf '%08x' "$count" | sed 's/../\\x&/g')"
        if ((header == 16)); then printf '\x00\x00\x00\x1c\x00\x00\x00\x1c'; fi
        # head closes the pipe early: zcat's SIGPIPE is expected, not a failure.
        (set +o pipefail; zcat "$source" | tail -c +$((header + 1)) | head -c $((count * item)))
    } >"$target"
    [[ $(stat -c %s "$target") -eq $((header + count * item)) ]] || fail "short subset $target"
}

make_data() {
    local from=/usr/share/datasets/fashion-mnist to=$work/data
    [[ -r $from/train-images-idx3-ubyte.gz ]] || fail "$from missing: run scripts/setup.sh"
    mkdir -p "$to"
    idx_subset "$from/train-images-idx3-ubyte.gz" "$to/train-images-idx3-ubyte" '\x00\x00\x08\x03' \
        $train_images 16 784
    idx_subset "$from/train-labels-idx1-ubyte.gz" "$to/train-labels-idx1-ubyte" '\x00\x00\x08\x01' \
        $train_images 8 1
    idx_subset "$from/t10k-images-idx3-ubyte.gz" "$to/t10k-images-idx3-ubyte" '\x00\x00\x08\x03' $test_images 16 784
    idx_subset "$from/t10k-labels-idx1-ubyte.gz" "$to/t10k-labels-idx1-ubyte" '\x00\x00\x08\x01' $test_images 8 1
    pass "Fashion-MNIST subset: $train_images training, $test_images test images in $to"
}

# --- Slurm -----------------------------------------------------------------------------------------

# munged on its own key and socket, so that a munged of the machine (or of another test) is untouched.
start_munge() {
    local dir=$work/munge
    mkdir -p "$dir"
    chmod 700 "$dir"
    head -c 1024 /dev/urandom >"$dir/munge.key"
    chmod 400 "$dir/munge.key"
    munged --force --socket="$dir/munge.socket" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
        --log-file="$dir/munged.log" --seed-file="$dir/munged.seed"
    wait_for 10 "munged's socket" test -S "$dir/munge.socket"
    pass "munged up (pid $(<"$dir/munged.pid"))"
}

# slurm.conf in the temporary folder (SLURM_CONF points every client there): the host's own name
# as control host and node, at 127.0.0.1; NoInAddrAny and NoCtldInAddrAny bind the daemons to that
# address instead of every interface. No slurmdbd: the job completion log is slurmctld's record.
start_slurm() {
    local dir=$work/slurm host ctld_port slurmd_port
    host=$(hostname -s)
    ctld_port=$(free_port 16817)
    slurmd_port=$(free_port $((ctld_port + 1)))
    mkdir -p "$dir/state" "$dir/spool"
    export SLURM_CONF=$dir/slurm.conf
    cat >"$SLURM_CONF" <<EOF
ClusterName=testscale
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    slurmctld -f "$SLURM_CONF"
    slurm_up=true
    slurmd -f "$SLURM_CONF"
    wait_for 30 "scontrol ping" controller_up
    pass "$(scontrol ping | head -n 1) (port $ctld_port; slurmd on $slurmd_port)"
    wait_for 30 "node $host idle" node_idle "$host"
    local listening
    listening=$(ss -Htlnp | grep -E '"slurm(ctld|d)"' | awk '{print $4}' | sort -u | tr '\n' ' ')
    [[ -n $listening && $listening != *0.0.0.0* && $listening != *'*:'* ]] ||
        fail "the Slurm daemons listen beyond 127.0.0.1: $listening"
    pass "node $host idle with $(nproc) CPUs; slurmctld and slurmd listen on $listening"
}

controller_up() { scontrol ping 2>/dev/null | grep -q "is UP"; }
node_idle() { [[ $(sinfo -h -n "$1" -o %t 2>/dev/null) == idle ]]; }
array_gone() { [[ -z $(squeue -h -j "$1" 2>/dev/null) ]]; }
# A run folder whose epochs.csv has a row under its header: an epoch done.
has_epochs() { [[ -f $1 ]] && (($(wc -l <"$1") >= 2)); }

# One task's state and exit code (`COMPLETED 0:0`) from slurmctld.
task_state() {
    scontrol show job -o "$1" | awk -v task="$2" '
        { s = ""; e = ""; t = "" }
        { for (i = 1; i <= NF; i++) {
              split($i, kv, "=")
              if (kv[1] == "ArrayTaskId") t = kv[2]
              if (kv[1] == "JobState") s = kv[2]
              if (kv[1] == "ExitCode") e = kv[2] } }
        t == task { print s, e }'
}

run_name() { echo "FashionMNIST_Momentum_lr=$1_batch_size=$2"; }

# The 2x2 grid through `sweep --runner slurm --wait`; task 0 gets SIGTERM mid-run, as at a time
# limit. scancel spares the batch step unless told `--batch` (or `--full`); the job script's exec
# makes the run that step's process. A task just started can answer "Job can not be altered now"
# and still get the signal: scancel's status is no proof, the run's own output and exit 143 are,
# and the signal goes again while the task runs without having said it stopped.
slurm_grid() {
    local dir=$work/slurm-runs
    mkdir -p "$dir"
    cd "$dir"
    local training=(train_classifier --model StandardCNN --dataset FashionMNIST --data_dir "$work/data"
        --epochs $epochs --threads 1 --log_dir log)
    # timeout bounds the wait below, should the array never end.
    timeout 300 "$bin/sweep" --runner slurm --wait "${grid[@]}" -- "${training[@]}" >sweep1.out 2>sweep1.err &
    background_sweep=$!
    wait_for 60 "sweep's job id" grep -q "submitted job array" sweep1.out
    job=$(sed -n 's/.*submitted job array \([0-9]*\) (4 tasks).*/\1/p' sweep1.out)
    [[ -n $job ]] || fail "sweep did not submit a job array of 4 tasks: $(cat sweep1.out sweep1.err)"
    folder=$(sed -n 's/^sweep: 4 runs in \(.*\)\/commands$/\1/p' sweep1.out)
    pass "sweep --runner slurm submitted job array $job (4 tasks) from $folder"
    # Task 0 is the first line of the commands file: the grid's first values.
    interrupted=log/StandardCNN/$(run_name 0.01 50)
    wait_for 120 "task 0's first epoch" has_epochs "$interrupted/validation/epochs.csv"
    [[ $(task_state "$job" 0) == RUNNING* ]] || fail "task 0 is not running: $(task_state "$job" 0)"
    local tries=0 said
    until grep -q "interrupted by signal 15" "$folder/slurm-${job}_0.out"; do
        ((tries++ < 5)) || fail "task 0 did not stop on SIGTERM: $(tail -n 3 "$folder/slurm-${job}_0.out")"
        [[ $(task_state "$job" 0) == RUNNING* ]] || break
        # 229 is ESLURM_ALREADY_DONE's low byte: the run stopped before scancel had finished asking.
        said=$(scancel --signal=TERM --batch "${job}_0" 2>&1) || info "scancel exited $? ${said:-(no message)}"
        sleep 1
    done
    local status=0
    wait "$background_sweep" || status=$?
    background_sweep=""
    local epochs_done=$(($(wc -l <"$interrupted/validation/epochs.csv") - 1))
    ((epochs_done < epochs)) || fail "task 0 finished before SIGTERM reached it"
    grep -q "interrupted by signal 15; checkpoint saved" "$folder/slurm-${job}_0.out" ||
        fail "task 0 did not save a checkpoint on SIGTERM: $(tail -n 3 "$folder/slurm-${job}_0.out")"
    pass "scancel --signal=TERM --batch ${job}_0: checkpoint saved after $epochs_done of $epochs epochs"
    [[ $status -eq 1 ]] && grep -q "task 0 failed (FAILED, exit 143:0)" sweep1.err ||
        fail "sweep --wait exited $status: $(cat sweep1.err)"
    pass "sweep --wait followed the array to its end: exit 1, task 0 named (FAILED, exit 143:0)"
    for task in 1 2 3; do
        [[ $(task_state "$job" $task) == "COMPLETED 0:0" ]] || fail "task $task: $(task_state "$job" $task)"
    done
    pass "tasks 1-3 of job $job COMPLETED (scontrol show job)"
    check_job_records
}

# The job ids against slurmctld's own records: its job completion log and each task's output file.
check_job_records() {
    local task line
    for task in 0 1 2 3; do
        line=$(grep -E "ArrayJobId=$job ArrayTaskId=$task " "$work/slurm/jobcomp.txt") ||
            fail "slurmctld's job completion log has no task ${job}_$task"
        [[ -s $folder/slurm-${job}_$task.out ]] || fail "no output file slurm-${job}_$task.out"
        info "${job}_$task: $(grep -o '^JobId=[0-9]*' <<<"$line") $(grep -o 'JobState=[A-Z]*' <<<"$line")"
    done
    pass "job ${job}_0..3 in slurmctld's completion log, each with its slurm-${job}_K.out"
    local said
    if said=$(sacct -n -X -j "$job" 2>&1); then
        pass "sacct knows job $job"
    else
        info "sacct: ${said%%$'\n'*} (no slurmdbd here; --wait used scontrol)"
    fi
}

# The same job array resubmitted: the interrupted run resumes, the finished ones say so and stop.
resubmit() {
    local again
    again=$(sbatch --parsable "$folder/sweep.sbatch")
    wait_for 180 "job array $again's end" array_gone "$again"
    for task in 0 1 2 3; do
        [[ $(task_state "$again" $task) == "COMPLETED 0:0" ]] ||
            fail "resubmitted task $task: $(task_state "$again" $task)"
    done
    grep -q "resuming .*$(run_name 0.01 50) from step" "$folder/slurm-${again}_0.out" ||
        fail "task 0 did not resume: $(head -n 3 "$folder/slurm-${again}_0.out")"
    grep -q "has finished its $epochs epochs" "$folder/slurm-${again}_1.out" || fail "task 1 trained again"
    pass "sbatch $folder/sweep.sbatch again (job $again): task 0 resumed, tasks 1-3 already finished"
    local runs
    runs=$("$bin/compare_runs" log --format csv)
    info "compare_runs log:"
    "$bin/compare_runs" log | sed 's/^/      /'
    for lr in 0.01 0.05; do
        for batch in 50 100; do
            grep -q "$(run_name $lr $batch),accuracy,$epochs," <<<"$runs" ||
                fail "compare_runs lacks $(run_name $lr $batch) with $epochs epochs: $runs"
        done
    done
    [[ $(grep -c '^StandardCNN,' <<<"$runs") -eq 4 ]] || fail "compare_runs does not list 4 runs: $runs"
    pass "compare_runs lists the four runs, $epochs epochs each"
}

# Task 0's command run once without interruption, elsewhere: the resumed run must end on the same
# epochs (loss and accuracy to the last digit) and the same checkpoint, byte for byte.
uninterrupted_reference() {
    mkdir -p "$work/reference"
    (cd "$work/reference" && eval "$(head -n 1 "$folder/commands")") >"$work/reference/train.out" 2>&1 ||
        fail "the reference run failed: $(tail -n 3 "$work/reference/train.out")"
    local resumed=$interrupted reference=$work/reference/$interrupted
    # Every column but the seconds an epoch took.
    diff <(cut -d, -f1-3 "$resumed/validation/epochs.csv") <(cut -d, -f1-3 "$reference/validation/epochs.csv") ||
        fail "the resumed run's epochs.csv differs from an uninterrupted run's"
    cmp -s "$resumed/checkpoint.safetensors" "$reference/checkpoint.safetensors" ||
        fail "the resumed run's checkpoint differs from an uninterrupted run's"
    pass "resumed run = uninterrupted run: same $epochs epochs.csv rows, same checkpoint bytes"
}

# The same sweep command again, waited for: every run finished, so every task completes.
sweep_again() {
    local out
    out=$("$bin/sweep" --runner slurm --wait "${grid[@]}" -- train_classifier --model StandardCNN \
        --dataset FashionMNIST --data_dir "$work/data" --epochs $epochs --threads 1 --log_dir log 2>&1) ||
        fail "the same sweep again failed: $out"
    grep -q "job array [0-9]* completed" <<<"$out" || fail "sweep --wait did not report completion: $out"
    pass "the same sweep again: $(grep -o 'job array [0-9]* completed' <<<"$out"), exit 0"
}

# --- GNU parallel over ssh ------------------------------------------------------------------------

# sshd on 127.0.0.1 and a port of its own, with its own host key and one authorized key, both made
# here: root logs in by that key only. StrictModes is off because the keys sit under /tmp, which is
# world-writable; nothing else can log in, and only from this machine.
start_sshd() {
    local dir=$work/ssh
    ssh_port=$(free_port 2222)
    mkdir -p "$dir"
    chmod 700 "$dir"
    ssh-keygen -q -t ed25519 -N '' -C test_scale-host -f "$dir/host_key"
    ssh-keygen -q -t ed25519 -N '' -C test_scale-client -f "$dir/client_key"
    cp "$dir/client_key.pub" "$dir/authorized_keys"
    cat >"$dir/sshd_config" <<EOF
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
AcceptEnv OPENBLAS_CORETYPE
EOF
    # The client side: the host key pinned, no password prompt, OpenBLAS's kernels as here.
    echo "test-scale-self $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$dir/known_hosts"
    cat >"$dir/ssh_config" <<EOF
Host test-scale-self
    HostName 127.0.0.1
    Port $ssh_port
    User root
    IdentityFile $dir/client_key
    IdentitiesOnly yes
    HostKeyAlias test-scale-self
    UserKnownHostsFile $dir/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    SendEnv OPENBLAS_CORETYPE
EOF
    if [[ ! -d /run/sshd ]]; then
        mkdir -p /run/sshd
        created_run_sshd=true
    fi
    /usr/sbin/sshd -t -f "$dir/sshd_config" || fail "sshd refuses its configuration"
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    wait_for 10 "sshd's pid file" test -s "$dir/sshd.pid"
    local listening
    listening=$(ss -Htln "sport = :$ssh_port" | awk '{print $4}' | tr '\n' ' ')
    [[ $listening == "127.0.0.1:$ssh_port " ]] || fail "sshd listens on $listening"
    ssh -F "$dir/ssh_config" test-scale-self true || fail "ssh to test-scale-self: key login refused"
    pass "sshd (pid $(<"$dir/sshd.pid")) on 127.0.0.1:$ssh_port, root by key only"
}

# One slot over ssh, one on `:` (this machine): both take runs from the first moment on.
parallel_sweep() {
    local dir=$work/parallel-runs
    mkdir -p "$dir" "$work/parallel-home"
    cd "$dir"
    printf '1/ssh -F %s test-scale-self\n1/:\n' "$work/ssh/ssh_config" >sshloginfile
    # GNU parallel's citation notice, answered in a home of its own rather than ~/.parallel.
    touch "$work/parallel-home/will-cite"
    PARALLEL_HOME=$work/parallel-home "$bin/sweep" --runner parallel --jobs 1 --sshloginfile sshloginfile \
        "${grid[@]}" -- train_classifier --model StandardCNN --dataset FashionMNIST --data_dir "$work/data" \
        --epochs 2 --threads 1 --log_dir log >sweep.out 2>&1 || fail "parallel sweep: $(tail -n 5 sweep.out)"
    local joblog remote local_runs flags recorded
    joblog=$(ls log/sweeps/*/joblog)
    remote=$(awk -F'\t' 'NR > 1 && $2 ~ /test-scale-self/ && $7 == 0' "$joblog" | wc -l)
    local_runs=$(awk -F'\t' 'NR > 1 && $2 == ":" && $7 == 0' "$joblog" | wc -l)
    ((remote >= 1 && local_runs >= 1 && remote + local_runs == 4)) ||
        fail "GNU parallel's job log: $remote runs over ssh, $local_runs here: $(cat "$joblog")"
    pass "sweep --runner parallel: of 4 runs, $remote came through ssh, $local_runs ran on ':' (GNU parallel's job log)"
    recorded=0
    for flags in log/StandardCNN/*/flags.json; do
        if grep -Eq "\"ssh_connection\" : \"127\.0\.0\.1 [0-9]+ 127\.0\.0\.1 $ssh_port\"" "$flags"; then
            recorded=$((recorded + 1))
        fi
    done
    [[ $recorded -eq $remote ]] || fail "$recorded run folders record SSH_CONNECTION, $remote runs came via ssh"
    info "$(awk '/"ssh_connection"/ { sub(/^ */, ""); print; exit }' log/StandardCNN/*/flags.json)"
    pass "provenance: the runs that came through ssh ($remote) record ssh_connection, the others none"
}

# --- MPI -------------------------------------------------------------------------------------------

# Data-parallel training: `mpirun --allow-run-as-root -np 2` with one thread per process against one
# process with one thread, one epoch of the whole Fashion-MNIST (scripts/mpi_matches_one_process.sh,
# which also checks that a plain run does not open libmpi).
mpi_section() {
    local out
    out=$("$repo/scripts/mpi_matches_one_process.sh" "$bin" "$work/mpi" 2>&1) || fail "mpirun -np 2: $out"
    while IFS= read -r line; do info "$line"; done <<<"$out"
    pass "mpirun -np 2 trains one run as one process does (one epoch, the numbers above); libmpi under mpirun only"
}

# --- run --------------------------------------------------------------------------------------------

work=$(mktemp -d /tmp/test_scale.XXXXXX)
install_engines
make_data
start_munge
start_slurm
slurm_grid
resubmit
uninterrupted_reference
sweep_again
start_sshd
parallel_sweep
mpi_section
