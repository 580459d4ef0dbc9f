Console.WriteLine("serval-cli");
