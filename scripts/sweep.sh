#!/usr/bin/env bash
# Sweeps one flag of a training command over values and runs the runs N at a time, on this
# machine or, through GNU parallel's --sshloginfile, on several; or writes a Slurm job array.
#
#   scripts/sweep.sh [--jobs N] [--sshloginfile FILE] [--slurm FILE] [--dry-run] \
#       FLAG "V1 V2 ..." COMMAND [FLAGS...]
#
#   scripts/sweep.sh --jobs 2 l2_penalty "0 1e-5 1e-4" train_autoencoder --model SingleLayerCAE \
#       --dataset FashionMNIST --optimizer AdamOptimizer --optimizer_args '{"learning_rate": 1e-3}' --epochs 10
#
# Values of flags that do not change the run name (batch_size, seed, ...) get a --comment
# FLAG=VALUE, so every run has its own folder. Each run gets cores / jobs threads. The command
# list is written to log/sweeps/<time>.commands; remote machines need the repository built at
# the same path (the list names the binaries by absolute path).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=1; login=""; slurm=""; dry=0
while [[ $# -gt 0 && $1 == --* ]]; do
    case $1 in
        --jobs) jobs=$2; shift 2 ;;
        --sshloginfile) login=$2; shift 2 ;;
        --slurm) slurm=$2; shift 2 ;;
        --dry-run) dry=1; shift ;;
        *) echo "sweep: unknown option $1" >&2; exit 64 ;;
    esac
done
[[ $# -ge 3 ]] || { echo "usage: sweep.sh [--jobs N] [--sshloginfile FILE] [--slurm FILE] FLAG \"VALUES\" COMMAND [FLAGS...]" >&2; exit 64; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "sweep: --jobs $jobs is not a positive number" >&2; exit 64; }
flag=$1; values=$2; command=$3; shift 3
case $command in train_autoencoder|train_classifier) ;; *) echo "sweep: COMMAND must be train_autoencoder or train_classifier" >&2; exit 64 ;; esac
swift build -c release --product "$command" >/dev/null
bin=$(swift build -c release --show-bin-path)
threads=$(( $(nproc) / jobs )); (( threads >= 1 )) || threads=1
case $flag in
    model|dataset|optimizer|optimizer_args|l2_penalty|augment|input_noise|comment) named=1 ;;
    lr_decay|lr_schedule|warmup_epochs) named=1 ;;
    *) named=0 ;;
esac
mkdir -p log/sweeps
list="log/sweeps/$(date +%Y%m%d-%H%M%S)-$flag.commands"
: > "$list"
for value in $values; do
    line=$(printf '%q ' "$bin/$command" "$@" "--$flag" "$value" --threads "$threads")
    (( named )) || line+=$(printf '%q ' --comment "$flag=$value")
    echo "$line" >> "$list"
done
echo "sweep: $(wc -l < "$list") runs in $list"
if [[ -n $slurm ]]; then
    n=$(wc -l < "$list")
    cat > "$slurm" <<SLURM
#!/usr/bin/env bash
#SBATCH --job-name=bench-sweep-$flag
#SBATCH --array=1-$n
#SBATCH --cpus-per-task=$(nproc)
#SBATCH --output=log/sweeps/slurm-%A_%a.out
# Slurm sends SIGTERM at the time limit: the bench saves a checkpoint, and resubmitting resumes.
cd $(pwd)
eval "\$(sed -n "\${SLURM_ARRAY_TASK_ID}p" $(pwd)/$list)"
SLURM
    echo "sweep: wrote the Slurm job array $slurm (sbatch $slurm)"
    exit 0
fi
(( dry )) && { cat "$list"; exit 0; }
if command -v parallel >/dev/null; then
    args=(--jobs "$jobs" --halt never --line-buffer)
    [[ -n $login ]] && args+=(--sshloginfile "$login" --workdir "$(pwd)")
    parallel "${args[@]}" < "$list"
else
    [[ -z $login ]] || { echo "sweep: --sshloginfile needs GNU parallel (apt-get install parallel)" >&2; exit 69; }
    xargs -d '\n' -P "$jobs" -I{} bash -c '{}' < "$list"
fi
