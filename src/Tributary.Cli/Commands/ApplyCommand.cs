using System.CommandLine;
using Tributary.Cli.Remote;
using Tributary.Pipelines;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary apply FILE [--dry-run]</c>: makes the data directory match a pipeline file and prints what it did.</summary>
internal static class ApplyCommand
{
    public static Command Create(Option<string> data)
    {
        var file = new Argument<string>("file") { Description = "The pipeline YAML file (tables, functions, views, jobs)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing" };
        var command = new Command("apply", "Create or alter what a pipeline file declares (idempotent)") { file, dryRun };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new PipelineException(path, 0, 0, "file not found");
            }

            if (new FileInfo(path).Length > PipelineLoader.MaxFileBytes)
            {
                throw new PipelineException(path, 0, 0, $"the file is larger than {PipelineLoader.MaxFileBytes / (1024 * 1024)} MB");
            }

            using var ops = OperationsFactory.Open(parse.GetValue(data)!);
            var result = ops.Apply(path, File.ReadAllText(path), parse.GetValue(dryRun));
            var changed = result.Steps.Count(s => s.Action != PlanAction.Unchanged);
            foreach (var step in result.Steps)
            {
                var verb = step.Action switch
                {
                    PlanAction.Create => result.DryRun ? "would create" : "created",
                    PlanAction.Alter => result.DryRun ? "would alter" : "altered",
                    _ => "unchanged",
                };
                Console.WriteLine($"  {verb,-13} {step.Kind,-9} {step.Name}{(step.Detail.Length > 0 && step.Action != PlanAction.Unchanged ? "  " + step.Detail : "")}");
            }

            Console.WriteLine(result.DryRun
                ? $"{path}: {changed} change(s) planned, nothing applied (dry run)"
                : changed == 0 ? $"{path}: nothing to change" : $"{path}: {changed} change(s) applied");
            return 0;
        }));
        return command;
    }
}
