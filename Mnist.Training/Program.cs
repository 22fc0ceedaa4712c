using Mnist.Training;

return await TrainerCommand.RunAsync(args, Console.Out, Console.Error, handleSignals: true);
